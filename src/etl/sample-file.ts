import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { badInput } from "../errors.js";
import { sniff } from "./sniff.js";
import { openTables } from "./tables.js";

/** The headers and first rows of each table of a local file (for suggested mappings). */
export async function sampleFile(
  file: string,
  limit = 500,
): Promise<{ table: string; headers: string[]; rows: Record<string, string>[] }[]> {
  const handle = await open(file, "r");
  const head = Buffer.alloc(64 * 1024);
  const { bytesRead } = await handle.read(head, 0, head.length, 0);
  await handle.close();
  let sniffed = sniff(head.subarray(0, bytesRead));
  let stream: Readable = createReadStream(file);
  if (sniffed.kind === "gzip") {
    stream = stream.pipe(createGunzip());
    const chunks: Buffer[] = [];
    for await (const c of createReadStream(file).pipe(createGunzip())) {
      chunks.push(c as Buffer);
      if (chunks.reduce((n, b) => n + b.length, 0) >= 64 * 1024) break;
    }
    sniffed = sniff(Buffer.concat(chunks));
  }
  if (sniffed.kind !== "text" && sniffed.kind !== "xlsx")
    throw badInput(`${file} is not a CSV, JSON lines or Excel file`);
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
