import type { Context } from "hono";
import type { z } from "zod";
import { CatdataError } from "../../errors.js";

/**
 * Reads a JSON request body and validates it with the route's schema: not JSON (or not sent as
 * `application/json`) is 400 with a message saying so, never a 500 or a silently empty body.
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new CatdataError("BAD_INPUT", "the body must be JSON", { hint: "send Content-Type: application/json" });
  }
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch (error) {
    throw new CatdataError("BAD_INPUT", `the body is not valid JSON: ${(error as Error).message}`, {
      hint: "check quoting and commas",
    });
  }
  return schema.parse(body);
}
