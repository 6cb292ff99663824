import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { CatdataError } from "../../errors.js";
import type { ApiEnv } from "../context.js";

/** `1048576` → `1 MiB`, for messages. */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1 && value % 1024 === 0) {
    value /= 1024;
    unit += 1;
  }
  return `${value} ${units[unit]}`;
}

export const tooLarge = (limit: number, what = "the request body") =>
  new CatdataError("PAYLOAD_TOO_LARGE", `${what} is larger than ${formatBytes(limit)}, the limit for this route`, {
    hint: "send less data per request (uploads go to POST /uploads)",
  });

/**
 * The request body size limit (413 with the error shape): by `Content-Length` when given, else by
 * counting a chunked body as it arrives. Routes listed in `except` (the streaming upload, which
 * enforces its own larger limit as it streams) are left alone.
 */
export function requestBodyLimit(maxSize: number, except: (method: string, path: string) => boolean) {
  const limit = bodyLimit({
    maxSize,
    onError: () => {
      throw tooLarge(maxSize);
    },
  });
  return createMiddleware<ApiEnv>(async (c, next) => {
    if (except(c.req.method, c.req.path)) return next();
    return limit(c, next);
  });
}
