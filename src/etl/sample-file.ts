import { createReadStream } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { badInput } from "../errors.js";
import { sniff } from "./sniff.js";
import { openTables } from "./tables.js";

/** The first `bytes` of a stream (which is then closed). */
async function head(stream: Readable, bytes = 64 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= bytes) break;
  }
  stream.destroy();
  return Buffer.concat(chunks);
}

/** The headers and first rows of each table of a local file (for suggested mappings). */
export async function sampleFile(
  file: string,
  limit = 500,
): Promise<{ table: string; headers: string[]; rows: Record<string, string>[] }[]> {
  let open = (): Readable => createReadStream(file);
  let sniffed = sniff(await head(open()));
  if (sniffed.kind === "gzip") {
    open = () => createReadStream(file).pipe(createGunzip());
    sniffed = sniff(await head(open()));
  }
  if (sniffed.kind !== "text" && sniffed.kind !== "xlsx")
    throw badInput(`${file} is not a CSV, JSON lines or Excel file`);
  const stream = open();
  const out: { table: string; headers: string[]; rows: Record<string, string>[] }[] = [];
  for await (const table of openTables(stream, sniffed, path.basename(file))) {
    const rows: Record<string, string>[] = [];
    for await (const row of table.rows) {
      rows.push(row.values);
      if (rows.length >= limit) break;
    }
    out.push({ table: table.name, headers: table.headers(), rows });
  }
  stream.destroy();
  return out;
}
