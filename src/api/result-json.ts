import type { Context } from "hono";
import { jsonWithin } from "../sql/result-size.js";

/**
 * A JSON answer carrying a result (query rows, records), serialised within the byte cap
 * (`CATDATA_MAX_RESULT_BYTES`): counted piece by piece, refused with 400 and a hint to narrow the
 * query at the first piece past the cap — never a 500 from a string past V8's limit.
 */
export function resultJson(c: Context, value: unknown, maxBytes: number): Response {
  const body = jsonWithin(value, maxBytes);
  return c.body(body, 200, { "content-type": "application/json" });
}
