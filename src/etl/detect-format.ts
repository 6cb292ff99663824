import { type Readable, Transform } from "node:stream";
import { createGunzip } from "node:zlib";
import { badInput } from "../errors.js";
import type { ObjectStore } from "../store/object-store.js";
import type { JobRecord } from "./job-log.js";
import { type IngestLimits, overLimit, withDefaults } from "./limits.js";
import { type Sniffed, sniff } from "./sniff.js";

/**
 * What an upload is, from its first bytes (through gzip when it is gzipped): the text encoding or
 * Excel, and whether it must be gunzipped. Refuses empty, damaged and non-text files with a reason.
 */
export type Format = Extract<Sniffed, { kind: "text" }> | { kind: "xlsx" };

/** Sniffs the object (through gzip if it is gzipped) and returns how to open its decoded bytes. */
export async function detectFormat(
  store: ObjectStore,
  job: JobRecord,
  fileName: string,
  limits?: Partial<IngestLimits>,
): Promise<{ format: Format; gzip: boolean }> {
  const plain = () => store.getStream(job.key, job.versionId);
  let open = plain;
  let first = await readHead(await open());
  if (first.length === 0)
    throw badInput(`${fileName} is empty`, "upload a CSV or Excel file with a header row and data rows");
  let sniffed = sniff(first);
  if (sniffed.kind === "gzip") {
    open = async () => gunzip(await store.getStream(job.key, job.versionId), limits, fileName);
    try {
      first = await readHead(await open());
    } catch (error) {
      throw badInput(
        `${fileName} is a damaged gzip file: ${(error as Error).message}`,
        "compress it again, or upload it uncompressed",
      );
    }
    sniffed = sniff(first);
    if (first.length === 0) throw badInput(`${fileName} is an empty gzip file`);
  }
  if (sniffed.kind === "text" || sniffed.kind === "xlsx") return { format: sniffed, gzip: open !== plain };
  const what = sniffed.kind === "binary" ? sniffed.reason : "it is compressed twice";
  throw badInput(
    `${fileName} cannot be read as CSV or Excel: ${what}`,
    "upload a CSV (UTF-8 or Shift_JIS), JSON lines or .xlsx file",
  );
}

/**
 * Gunzips a stream, failing it (a BAD_INPUT naming CATDATA_MAX_DECOMPRESSED_BYTES) as soon as it
 * inflates past the decompressed limit, so a gzip bomb costs at most that many bytes of work.
 */
export function gunzip(stream: Readable, limits?: Partial<IngestLimits>, fileName = "the upload"): Readable {
  const all = withDefaults(limits);
  const z = createGunzip();
  let size = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > all.maxDecompressedBytes)
        done(overLimit(`${fileName} inflates to more than allowed`, all, "maxDecompressedBytes", "decompressed size"));
      else done(null, chunk);
    },
  });
  stream.on("error", (e) => z.destroy(e));
  z.on("error", (e) => cap.destroy(e));
  cap.on("close", () => {
    z.destroy();
    stream.destroy();
  });
  return stream.pipe(z).pipe(cap);
}

async function readHead(stream: Readable, bytes = 64 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= bytes) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}
