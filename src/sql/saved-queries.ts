import { z } from "zod";
import { badInput } from "../errors.js";

/**
 * The saved queries port (Athena's named queries): read-only SQL kept under a name, with its owner
 * and every earlier version. Implementations check the name and that the SQL is read-only when it is
 * saved; only the owner (who saved it first) or a caller allowed to replace anyone's (an admin) may
 * replace a query, and each replace keeps the replaced version, readable by its number.
 * Implementations: `LocalSavedQueries` (`local-saved-queries.ts`, one JSON file in the data
 * directory); Athena's named queries (or a file in the bucket) would be the AWS one, to come.
 */
const NAME = /^[a-z0-9-]{1,64}$/;

export const savedQuerySchema = z.object({
  name: z.string().regex(NAME),
  sql: z.string().min(1),
  description: z.string(),
  /** Who saved the first version: only they (or an admin) may replace it. */
  owner: z.string(),
  /** Who saved this version, and when. */
  createdBy: z.string(),
  createdAt: z.string(),
  /** 1 for the first save, one more for each replace. */
  version: z.number().int().min(1),
});

export type SavedQuery = z.infer<typeof savedQuerySchema>;

export interface NewSavedQuery {
  name: string;
  sql: string;
  description?: string;
  /** Who saves it: the owner of a new query; of a replace, who replaced it. */
  createdBy: string;
}

export interface SaveOptions {
  /** Replace a saved query of the same name (its current version is kept as an earlier one). */
  replace?: boolean;
  /** The saver may replace a query another user owns (admins); otherwise only the owner may. */
  mayReplaceAnyOwner?: boolean;
}

export interface SavedQueries {
  /** Every saved query (its current version), by name. */
  list(): Promise<SavedQuery[]>;
  /** The current version; NOT_FOUND when there is none of that name. */
  get(name: string): Promise<SavedQuery>;
  /**
   * BAD_INPUT for a bad name or SQL that is not read-only; CONFLICT on an existing name unless
   * `replace`; FORBIDDEN when replacing a query owned by someone else without `mayReplaceAnyOwner`.
   * A replace keeps the owner and the replaced version.
   */
  save(input: NewSavedQuery, options?: SaveOptions): Promise<SavedQuery>;
  /** Every version of a query, oldest first, the current one last; NOT_FOUND when there is none of that name. */
  versions(name: string): Promise<SavedQuery[]>;
  /** One version by its number; NOT_FOUND when the query or that version does not exist. */
  getVersion(name: string, version: number): Promise<SavedQuery>;
  /** Deletes the query and all its versions; NOT_FOUND when there is none of that name. */
  delete(name: string): Promise<void>;
}

export function assertQueryName(name: string): void {
  if (!NAME.test(name)) {
    throw badInput(
      `invalid query name ${JSON.stringify(name)}`,
      "use 1-64 lower-case letters, digits and -, e.g. monthly-intakes",
    );
  }
}
