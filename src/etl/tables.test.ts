/**
 * Pins the bounded JSON and Excel readers and the gzip cap (openTables):
 * - a JSON line nested 100k deep is one quarantined row (no stack overflow); a JSON array file nested
 *   too deep is refused naming CATDATA_MAX_JSON_DEPTH; depth exactly at the limit loads
 * - a JSON array streams element by element; an element over the record limit is one quarantined row
 * - an .xlsx with three huge inline cells is read with bounded memory: each row is quarantined naming
 *   CATDATA_MAX_CELL_BYTES and the good rows load
 * - an .xlsx whose shared-strings part is over its limit is refused while it is read
 * - an .xlsx row over the record limit is one quarantined row; a cell exactly at the limit loads
 * - a gzip stream that inflates past the decompressed limit fails naming CATDATA_MAX_DECOMPRESSED_BYTES
 */
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildZip, repeat, workbookEntries } from "../testing/zip-builder.js";
import type { CsvRow } from "./csv-reader.js";
import { gunzip } from "./detect-format.js";
import type { IngestLimits } from "./limits.js";
import { openTables } from "./tables.js";

async function readAll(
  data: Buffer | Readable,
  fileName: string,
  limits: Partial<IngestLimits> = {},
): Promise<{ name: string; headers: string[]; rows: CsvRow[] }[]> {
  const stream = Buffer.isBuffer(data) ? Readable.from([data]) : data;
  const format = fileName.endsWith(".xlsx")
    ? ({ kind: "xlsx" } as const)
    : ({ kind: "text", encoding: "utf8", bom: false } as const);
  const out: { name: string; headers: string[]; rows: CsvRow[] }[] = [];
  for await (const table of openTables(stream, format, fileName, { limits })) {
    const rows: CsvRow[] = [];
    for await (const r of table.rows) rows.push(r);
    out.push({ name: table.name, headers: table.headers(), rows });
  }
  return out;
}

const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describe("JSON uploads", () => {
  it("quarantines a JSON line nested 100k deep and loads the others", async () => {
    const lines = [
      '{"id":1}',
      `{"deep":${nested(100_000)}}`,
      `{"ok":${nested(63)}}`,
      `{"over":${nested(64)}}`,
      '{"id":2}',
    ];
    const [table] = await readAll(Buffer.from(lines.join("\n")), "cats.jsonl");
    expect(table?.rows.map((r) => r.problem ?? r.values.id ?? "ok")).toEqual([
      "1",
      expect.stringMatching(/nests deeper than the 64 JSON depth limit \(CATDATA_MAX_JSON_DEPTH\)/),
      "ok",
      expect.stringMatching(/nests deeper/),
      "2",
    ]);
  });

  it("streams a JSON array by element and refuses one nested too deep", async () => {
    const items = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: String(i), note: 'a,b]"[' }));
    const [table] = await readAll(Buffer.from(`[\n${items.join(",\n")}\n]\n`), "cats.json");
    expect(table?.rows).toHaveLength(3000);
    expect(table?.rows[2999]?.values).toEqual({ id: "2999", note: 'a,b]"[' });
    await expect(readAll(Buffer.from(`[{"id":1}, ${nested(100_000)}]`), "deep.json")).rejects.toThrow(
      /nests JSON too deeply .* 64 JSON depth limit \(CATDATA_MAX_JSON_DEPTH\)/,
    );
    const big = await readAll(Buffer.from(`[{"id":"1"},{"x":"${"y".repeat(5000)}"},{"id":"3"}]`), "big.json", {
      maxRecordBytes: 4096,
    });
    expect(big[0]?.rows.map((r) => r.problem ?? r.values.id)).toEqual([
      "1",
      expect.stringMatching(/4096-byte record limit \(CATDATA_MAX_RECORD_BYTES\)/),
      "3",
    ]);
    await expect(readAll(Buffer.from('[{"id":1}'), "cut.json")).rejects.toThrow(/never closed/);
  });
});

const column = (i: number): string =>
  (i < 26 ? "" : column(Math.floor(i / 26) - 1)) + String.fromCharCode(65 + (i % 26));
const row = (r: number, cells: string[]) =>
  `<row r="${r}">${cells.map((c, i) => `<c r="${column(i)}${r}" t="inlineStr"><is><t>${c}</t></is></c>`).join("")}</row>`;

describe("Excel uploads", () => {
  it("quarantines rows with huge inline cells and keeps memory bounded", async () => {
    const cellMb = 64;
    function* sheet(): Generator<Buffer | string> {
      yield '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
      yield row(1, ["id", "note"]);
      for (let r = 2; r <= 4; r++) {
        yield `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>${r}</t></is></c><c r="B${r}" t="inlineStr"><is><t>`;
        yield* repeat("x".repeat(1024 * 1024), cellMb);
        yield "</t></is></c></row>";
      }
      yield row(5, ["5", "tama"]);
      yield "</sheetData></worksheet>";
    }
    const zip = await buildZip(workbookEntries(sheet()));
    expect(zip.length).toBeLessThan(2 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    const tables = await readAll(zip, "huge.xlsx").finally(() => clearInterval(timer));
    const rows = tables[0]?.rows ?? [];
    expect(rows.map((r) => r.problem ?? r.values.note)).toEqual([
      expect.stringMatching(/cell 2 is longer than the 131072-byte cell limit \(CATDATA_MAX_CELL_BYTES\)/),
      expect.stringMatching(/cell 2 is longer/),
      expect.stringMatching(/cell 2 is longer/),
      "tama",
    ]);
    expect(JSON.stringify(rows).length).toBeLessThan(10_000);
    expect(peak - before).toBeLessThan(cellMb * 1024 * 1024);
  });

  it("refuses a workbook whose shared strings, or whole inflated size, are over their limits", async () => {
    const parts = ['<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'];
    for (let i = 0; i < 20_000; i++) parts.push(`<si><t>cat number ${i} with a rather long name</t></si>`);
    parts.push("</sst>");
    const size = Buffer.byteLength(parts.join(""));
    const sheet = ['<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'];
    const entries = workbookEntries(sheet, parts);
    const zip = await buildZip(entries);
    await expect(readAll(zip, "strings.xlsx", { maxSharedStringsBytes: size - 1 })).rejects.toThrow(
      new RegExp(
        `xl/sharedStrings.xml is too large .* ${size - 1}-byte workbook part limit \\(CATDATA_MAX_SHARED_STRINGS_BYTES\\)`,
      ),
    );
    const atLimit = await readAll(zip, "strings.xlsx", { maxSharedStringsBytes: size });
    expect(atLimit[0]?.headers).toEqual(["cat number 0 with a rather long name"]);
    const total = entries.reduce((n, e) => n + Buffer.byteLength([...e.content].join("")), 0);
    expect((await readAll(zip, "all.xlsx", { maxDecompressedBytes: total }))[0]?.headers).toHaveLength(1);
    await expect(readAll(zip, "all.xlsx", { maxDecompressedBytes: total - 1 })).rejects.toThrow(
      /all.xlsx inflates to more than allowed: .*\(CATDATA_MAX_DECOMPRESSED_BYTES\)/,
    );
  });

  it("refuses a workbook part with a DOCTYPE (entity expansion) or a tag over the record limit", async () => {
    const doctype = ['<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet><sheetData></sheetData></worksheet>'];
    await expect(readAll(await buildZip(workbookEntries(doctype)), "dtd.xlsx")).rejects.toThrow(/DOCTYPE/);
    const tag = [`<worksheet a="${"x".repeat(5000)}"><sheetData></sheetData></worksheet>`];
    await expect(readAll(await buildZip(workbookEntries(tag)), "tag.xlsx", { maxRecordBytes: 4096 })).rejects.toThrow(
      /XML tag longer than the 4096-byte record limit/,
    );
  });

  it("quarantines a row over the record limit and loads a cell exactly at the cell limit", async () => {
    const wide = Array.from({ length: 400 }, (_, i) => `v${i}`);
    const sheet = [
      "<worksheet><sheetData>",
      row(1, ["id", "note"]),
      row(2, ["1", "y".repeat(1000)]),
      row(3, ["2", "y".repeat(1001)]),
      row(4, ["3", ...wide]),
      row(5, ["4", "ok"]),
      "</sheetData></worksheet>",
    ];
    const zip = await buildZip(workbookEntries(sheet));
    const [table] = await readAll(zip, "wide.xlsx", { maxCellBytes: 1000, maxRecordBytes: 4096 });
    expect(table?.rows.map((r) => r.problem ?? r.values.id)).toEqual([
      "1",
      expect.stringMatching(/cell 2 is longer than the 1000-byte cell limit/),
      expect.stringMatching(/row is longer than the 4096-byte record limit \(CATDATA_MAX_RECORD_BYTES\)/),
      "4",
    ]);
  });
});

describe("gzip", () => {
  it("fails a stream that inflates past the decompressed limit, naming the setting; exactly at it loads", async () => {
    const csv = Buffer.from(`id,name\n${"1,tama\n".repeat(200_000)}`);
    const gz = gzipSync(csv);
    const ok = await readAll(gunzip(Readable.from([gz]), { maxDecompressedBytes: csv.length }), "a.csv");
    expect(ok[0]?.rows).toHaveLength(200_000);
    await expect(
      readAll(gunzip(Readable.from([gz]), { maxDecompressedBytes: csv.length - 1 }), "a.csv"),
    ).rejects.toThrow(
      new RegExp(
        `inflates to more than allowed: it is over the ${csv.length - 1}-byte decompressed size limit \\(CATDATA_MAX_DECOMPRESSED_BYTES\\)`,
      ),
    );
  });
});
