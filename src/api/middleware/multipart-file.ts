import { Readable } from "node:stream";
import { CatdataError } from "../../errors.js";

/**
 * A streaming reader for `multipart/form-data` uploads: the text fields before the file are read
 * (small, bounded), then the file part is handed on as a stream that yields its bytes as they arrive
 * — a 1 GiB upload is never held in memory. One file per request; fields after it are refused (the
 * upload is already under way by then), so send `municipality`/`profile` first, as `curl -F` keeps
 * the order given.
 */
export interface MultipartUpload {
  fields: Record<string, string>;
  file: { filename: string; contentType: string | undefined; stream: Readable };
}

const MAX_HEADER = 16 * 1024;
const MAX_FIELD = 64 * 1024;
const MAX_FIELDS = 20;
const bad = (message: string) =>
  new CatdataError("BAD_INPUT", message, {
    hint: "send one file part, after the fields: curl -F municipality=… -F file=@data.csv …/uploads",
  });

export function boundaryOf(contentType: string): string | undefined {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

export async function readMultipartUpload(
  body: ReadableStream<Uint8Array>,
  boundary: string,
): Promise<MultipartUpload> {
  const reader = body.getReader();
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // A leading CRLF lets the first boundary (at the very start) match the same delimiter.
  let buf = Buffer.from("\r\n");
  let ended = false;
  const fill = async (): Promise<boolean> => {
    if (ended) return false;
    const { done, value } = await reader.read();
    if (done) ended = true;
    else buf = Buffer.concat([buf, value]);
    return !done;
  };
  const until = async (needle: Buffer, max: number, what: string): Promise<number> => {
    for (;;) {
      const at = buf.indexOf(needle);
      if (at >= 0) return at;
      if (buf.length > max) throw bad(`the multipart ${what} is too long`);
      if (!(await fill())) throw bad(`the multipart body ended inside the ${what}`);
    }
  };
  /** After a delimiter: `--` ends the body, CRLF starts another part. */
  const afterDelimiter = async (): Promise<"end" | "part"> => {
    while (buf.length < 2) if (!(await fill())) throw bad("the multipart body ended after a boundary");
    if (buf[0] === 0x2d && buf[1] === 0x2d) return "end";
    const eol = await until(Buffer.from("\r\n"), 256, "boundary line");
    buf = buf.subarray(eol + 2);
    return "part";
  };

  const first = await until(delimiter, MAX_FIELD, "preamble"); // (await before reading `buf`: `until` grows it)
  buf = buf.subarray(first + delimiter.length);
  const fields: Record<string, string> = {};
  while ((await afterDelimiter()) === "part") {
    const headerEnd = await until(Buffer.from("\r\n\r\n"), MAX_HEADER, "part header");
    const headers = buf.subarray(0, headerEnd).toString("utf8");
    buf = buf.subarray(headerEnd + 4);
    const disposition = /^content-disposition:(.*)$/im.exec(headers)?.[1] ?? "";
    const name = param(disposition, "name");
    const filename = param(disposition, "filename");
    if (name === undefined) throw bad("a multipart part has no name");
    if (filename !== undefined) {
      const contentType = /^content-type:\s*(.*)$/im.exec(headers)?.[1]?.trim();
      return { fields, file: { filename, contentType, stream: Readable.from(fileBytes()) } };
    }
    const end = await until(delimiter, MAX_FIELD, `field "${name}"`);
    if (Object.keys(fields).length >= MAX_FIELDS) throw bad("too many multipart fields");
    fields[name] = buf.subarray(0, end).toString("utf8");
    buf = buf.subarray(end + delimiter.length);
  }
  throw bad("the multipart body has no file part");

  async function* fileBytes(): AsyncGenerator<Buffer> {
    for (;;) {
      const at = buf.indexOf(delimiter);
      if (at >= 0) {
        if (at > 0) yield buf.subarray(0, at);
        buf = buf.subarray(at + delimiter.length);
        break;
      }
      // Keep what could be the start of a delimiter split across chunks.
      const safe = buf.length - (delimiter.length - 1);
      if (safe > 0) {
        yield buf.subarray(0, safe);
        buf = buf.subarray(safe);
      }
      if (!(await fill())) throw bad("the multipart body ended inside the file (no closing boundary)");
    }
    if ((await afterDelimiter()) !== "end") {
      throw bad("only one file per upload, and the fields (municipality, profile) must come before it");
    }
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * `name="x"` from a Content-Disposition value (quoted or a bare token). Browsers send a backslash in
 * a file name as it is (it is not an escape there), so only `\"` is unescaped.
 */
function param(disposition: string, key: string): string | undefined {
  const m = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, "i").exec(disposition);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\"/g, '"') : m[2];
}
