import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { CatdataError } from "../../errors.js";
import type { ApiEnv } from "../context.js";
import { tooLarge } from "./body-limit.js";
import { boundaryOf, readMultipartUpload } from "./multipart-file.js";

/**
 * The two ways an upload's body comes: `multipart/form-data` (text fields first, then one file part)
 * or the file's raw bytes (named with `?filename=`). Either way the file is handed on as a stream;
 * a declared `Content-Length` over the limit is refused before a byte is read.
 */
export interface UploadBody {
  /** The file name the client sent in the multipart part (raw bodies: undefined). */
  filename: string | undefined;
  fields: Record<string, string>;
  contentType: string;
  source: Readable;
}

export async function readUploadBody(c: Context, limit: number): Promise<UploadBody> {
  const declared = Number(c.req.header("content-length"));
  if (declared > limit + 64 * 1024) throw tooLarge(limit, "the upload");
  const body = c.req.raw.body;
  if (!body) throw new CatdataError("BAD_INPUT", "the upload has no body", { hint: "send the file's bytes" });
  const contentType = c.req.header("content-type") ?? "application/octet-stream";
  if (!/^multipart\/form-data/i.test(contentType)) {
    const source = Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
    return { filename: undefined, fields: {}, contentType, source };
  }
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new CatdataError("BAD_INPUT", "multipart/form-data without a boundary");
  const upload = await readMultipartUpload(body, boundary);
  const fileType = upload.file.contentType ?? "application/octet-stream";
  return { filename: upload.file.filename, fields: upload.fields, contentType: fileType, source: upload.file.stream };
}

/** A file is sent as bytes (octet-stream, text/csv, multipart), never parsed as a JSON request body. */
export const notJson = createMiddleware<ApiEnv>(async (c, next) => {
  if (/^application\/json\b/i.test(c.req.header("content-type") ?? "")) {
    throw new CatdataError("BAD_INPUT", "send the file as application/octet-stream or multipart/form-data", {
      hint: "a .json or .jsonl file too: its bytes are stored as they are",
    });
  }
  await next();
});
