import { createReadStream } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { badInput } from "../errors.js";
import { DaysColumnCheck, type DoubtfulColumn } from "./doubtful-columns.js";
import { LabelCounts } from "./label-counts.js";
import { headerKey, SPECIES_HEADERS } from "./profiles/header-synonyms.js";
import { sniff } from "./sniff.js";
import { openTables, type UploadTable } from "./tables.js";
import { isCatSpecies } from "./vocabularies.js";

/**
 * Reading a local file for `suggest-mapping`: the first rows (`sampleFile`), or the whole file in
 * one streaming pass (`scanFile`) — every column's distinct labels with their row counts (bounded:
 * label-counts.ts), the same among the rows whose species column names a cat, and the doubtful
 * columns (doubtful-columns.ts). Memory stays bounded whatever the file's length.
 */

/** Rows kept for guessing the columns' shapes (dates, numbers); every row is counted regardless. */
export const SHAPE_SAMPLE_ROWS = 500;

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

/** The tables of a local file (plain or gzipped CSV, JSON lines, .xlsx), read by the upload readers. */
export async function* openFileTables(file: string): AsyncGenerator<UploadTable> {
  let open = (): Readable => createReadStream(file);
  let sniffed = sniff(await head(open()));
  if (sniffed.kind === "gzip") {
    open = () => createReadStream(file).pipe(createGunzip());
    sniffed = sniff(await head(open()));
  }
  if (sniffed.kind !== "text" && sniffed.kind !== "xlsx")
    throw badInput(`${file} is not a CSV, JSON lines or Excel file`, "save it as CSV (UTF-8 or Shift_JIS) or .xlsx");
  const stream = open();
  try {
    yield* openTables(stream, sniffed, path.basename(file));
  } finally {
    stream.destroy();
  }
}

/** The headers and first rows of each table of a local file. */
export async function sampleFile(
  file: string,
  limit = SHAPE_SAMPLE_ROWS,
): Promise<{ table: string; headers: string[]; rows: Record<string, string>[] }[]> {
  const out: { table: string; headers: string[]; rows: Record<string, string>[] }[] = [];
  for await (const table of openFileTables(file)) {
    const rows: Record<string, string>[] = [];
    for await (const row of table.rows) {
      rows.push(row.values);
      if (rows.length >= limit) break;
    }
    out.push({ table: table.name, headers: table.headers(), rows });
  }
  return out;
}

/** One table read whole: what suggestMapping needs to tell the truth about every label. */
export interface ScannedTable {
  table: string;
  headers: string[];
  /** The first SHAPE_SAMPLE_ROWS rows. */
  rows: Record<string, string>[];
  /** Every row of the table. */
  rowCount: number;
  /** Per column: every distinct label with its row count, over all rows. */
  labels: Record<string, LabelCounts>;
  /** The first column whose header names the species (Animal Type, 動物種…), if any. */
  speciesColumn?: string;
  /** Per column, over the rows whose species is a cat (vocabularies.ts); absent without a species column. */
  catLabels?: Record<string, LabelCounts>;
  doubtful: DoubtfulColumn[];
}

/** Scans every row of every table of a local file, streaming. */
export const scanFile = (file: string): Promise<ScannedTable[]> => scanTables(openFileTables(file));

/** Scans every row of every table (a local file's, or a stored upload's: the API), streaming. */
export async function scanTables(tables: AsyncIterable<UploadTable>): Promise<ScannedTable[]> {
  const out: ScannedTable[] = [];
  for await (const table of tables) {
    const rows: Record<string, string>[] = [];
    const labels: Record<string, LabelCounts> = {};
    const catLabels: Record<string, LabelCounts> = {};
    let headers: string[] = [];
    let species: string | undefined;
    let days: DaysColumnCheck | undefined;
    let rowCount = 0;
    for await (const row of table.rows) {
      if (!days) {
        headers = table.headers();
        species = headers.find((h) => SPECIES_HEADERS.includes(headerKey(h)));
        days = new DaysColumnCheck(headers);
        for (const h of headers) {
          labels[h] = new LabelCounts();
          if (species) catLabels[h] = new LabelCounts();
        }
      }
      rowCount++;
      if (rows.length < SHAPE_SAMPLE_ROWS) rows.push(row.values);
      const cat = species !== undefined && isCatSpecies(row.values[species] ?? "");
      for (const h of headers) {
        const v = row.values[h] ?? "";
        labels[h]?.add(v);
        if (cat) catLabels[h]?.add(v);
      }
      days.add(row.values);
    }
    if (!days) headers = table.headers();
    out.push({
      table: table.name,
      headers,
      rows,
      rowCount,
      labels,
      ...(species ? { speciesColumn: species, catLabels } : {}),
      doubtful: days?.result() ?? [],
    });
  }
  return out;
}
