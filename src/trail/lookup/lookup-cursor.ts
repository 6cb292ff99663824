import { createHash } from "node:crypto";
import { badInput } from "../../errors.js";
import type { NormalisedLookup } from "./lookup-filter.js";

/**
 * The opaque `nextToken`: the sort key of the last event returned (event time, event id, record
 * hash — unique once duplicates are folded) and a fingerprint of the query it belongs to, so a
 * token cannot be replayed against another filter. base64url JSON; pure.
 */
export interface Cursor {
  /** Event time in ms since the epoch, null for events without a time (they sort last). */
  t: number | null;
  id: string;
  h: string;
}

export const queryFingerprint = (query: NormalisedLookup): string =>
  createHash("sha256")
    .update(JSON.stringify([query.attributes, query.startMs ?? null, query.endMs ?? null, query.insights]))
    .digest("hex")
    .slice(0, 16);

export const encodeCursor = (cursor: Cursor, query: NormalisedLookup): string =>
  Buffer.from(JSON.stringify({ ...cursor, q: queryFingerprint(query) })).toString("base64url");

export function decodeCursor(token: string, query: NormalisedLookup): Cursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw badInput("nextToken is not valid", "pass the nextToken of the previous page unchanged");
  }
  const v = value as Partial<Cursor & { q: string }> | null;
  const valid =
    v !== null &&
    typeof v === "object" &&
    (v.t === null || typeof v.t === "number") &&
    typeof v.id === "string" &&
    typeof v.h === "string";
  if (!valid) throw badInput("nextToken is not valid", "pass the nextToken of the previous page unchanged");
  if (v.q !== queryFingerprint(query)) {
    throw badInput(
      "nextToken belongs to another query",
      "repeat the same filter as the previous page, or drop nextToken",
    );
  }
  return { t: v.t ?? null, id: v.id ?? "", h: v.h ?? "" };
}
