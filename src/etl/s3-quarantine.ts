import type { QuarantinedRow, QuarantineWriter } from "./job-log.js";
import { type JobQuarantineCipher, PLAIN_ROWS } from "./quarantine-cipher.js";
import type { S3Objects } from "./s3-objects.js";

/**
 * A job's quarantined rows in S3 as parts `<dir>000000.jsonl`, `000001.jsonl`… of about 4 MiB each,
 * so memory stays bounded however many rows are rejected. Opening deletes an earlier run's parts.
 * Each row is a line sealed by the job's cipher (quarantine-cipher.ts), numbered across the parts.
 */
const PART_BYTES = 4 * 1024 * 1024;

export async function openS3Quarantine(
  objects: S3Objects,
  dir: string,
  cipher: JobQuarantineCipher = PLAIN_ROWS,
): Promise<QuarantineWriter> {
  await objects.deleteAll(dir);
  let index = 0;
  let lines: string[] = [];
  let bytes = 0;
  let part = 0;
  let closed = false;
  const flush = async () => {
    const body = lines.join("");
    lines = [];
    bytes = 0;
    await objects.put(`${dir}${String(part++).padStart(6, "0")}.jsonl`, body, "application/x-ndjson");
  };
  return {
    write: async (row) => {
      const line = `${cipher.seal(JSON.stringify(row), index++)}\n`;
      lines.push(line);
      bytes += Buffer.byteLength(line);
      if (bytes >= PART_BYTES) await flush();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      if (lines.length > 0 || part === 0) await flush();
    },
  };
}

/** Rows `offset … offset+limit-1` across the parts, in order. */
export async function readS3Quarantine(
  objects: S3Objects,
  dir: string,
  offset: number,
  limit: number,
  cipher: JobQuarantineCipher = PLAIN_ROWS,
): Promise<QuarantinedRow[]> {
  const out: QuarantinedRow[] = [];
  let index = 0;
  for (const key of await objects.keys(dir)) {
    for (const line of ((await objects.read(key)) ?? "").split("\n")) {
      if (line === "") continue;
      const at = index++;
      if (at < offset) continue;
      out.push(JSON.parse(cipher.open(line, at)) as QuarantinedRow);
      if (out.length >= limit) return out;
    }
  }
  return out;
}
