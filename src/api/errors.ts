import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ZodError } from "zod";
import { CatdataError } from "../errors.js";
import type { Logger } from "../log/logger.js";

/** One error shape for every route: `{ error: { code, message, requestId } }`. */
export function toErrorResponse(error: unknown, c: Context, logger: Logger): Response {
  const requestId = (c.get("requestId") as string | undefined) ?? "";
  let status: number;
  let code: string;
  let message: string;
  if (error instanceof CatdataError) {
    status = error.status;
    code = error.code;
    message = error.hint ? `${error.message} (${error.hint})` : error.message;
  } else if (error instanceof ZodError) {
    status = 400;
    code = "BAD_INPUT";
    message = error.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`).join("; ");
  } else if (error instanceof HTTPException) {
    status = error.status;
    code = status === 413 ? "PAYLOAD_TOO_LARGE" : status === 404 ? "NOT_FOUND" : "BAD_INPUT";
    message = error.message || "bad request";
  } else {
    status = 500;
    code = "INTERNAL";
    message = "internal error; the request id identifies it in the server log";
    logger.error({ err: error, requestId }, "unhandled error");
  }
  return c.json({ error: { code, message, requestId } }, status as ContentfulStatusCode);
}
