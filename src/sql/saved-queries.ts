import { z } from "zod";
import { badInput } from "../errors.js";

/**
 * The saved queries port (Athena's named queries): read-only SQL kept under a name, with who saved
 * it and when. Implementations check the name and that the SQL is read-only when it is saved.
 * Implementations: `LocalSavedQueries` (`local-saved-queries.ts`, one JSON file in the data
 * directory); Athena's named queries (or a file in the bucket) would be the AWS one, to come.
 */
const NAME = /^[a-z0-9-]{1,64}$/;

export const savedQuerySchema = z.object({
  name: z.string().regex(NAME),
  sql: z.string().min(1),
  description: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});

export type SavedQuery = z.infer<typeof savedQuerySchema>;

export interface NewSavedQuery {
  name: string;
  sql: string;
  description?: string;
  createdBy: string;
}

export interface SavedQueries {
  /** Every saved query, by name. */
  list(): Promise<SavedQuery[]>;
  /** NOT_FOUND when there is none of that name. */
  get(name: string): Promise<SavedQuery>;
  /** BAD_INPUT for a bad name or SQL that is not read-only; CONFLICT on an existing name unless `replace`. */
  save(input: NewSavedQuery, options?: { replace?: boolean }): Promise<SavedQuery>;
  /** NOT_FOUND when there is none of that name. */
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
