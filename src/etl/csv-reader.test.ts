/**
 * Pins the CSV reader (tokenizer, decoding, limits):
 * - (the gzipped 50 MB single line: csv-reader.timing.test.ts, run alone because it measures time)
 * - a line / record / cell exactly at its limit loads; one byte more is one quarantined row naming the setting
 * - a CRLF header followed by LF rows (and lone-CR rows) gives one row per line
 * - an unterminated quote costs one row: the good rows after it load, at EOF and at the record limit
 * - Shift_JIS after 150 KB of ASCII is decoded as Shift_JIS, never as U+FFFD; broken Shift_JIS and
 *   broken UTF-8 fail naming the byte offset and the row
 * - quoted fields with "" escapes, embedded newlines, a BOM, other delimiters
 */

import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { hasSamples, sample } from "../testing/fixtures.js";
import { type CsvRow, readCsv } from "./csv-reader.js";
import type { IngestLimits } from "./limits.js";

const read = async (
  data: string | Buffer,
  options: { encoding?: "utf8" | "shift_jis"; limits?: Partial<IngestLimits>; chunk?: number } = {},
): Promise<CsvRow[]> => {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  const size = options.chunk ?? 64 * 1024;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  const rows: CsvRow[] = [];
  const reader = readCsv(Readable.from(chunks), { encoding: options.encoding ?? "utf8", limits: options.limits ?? {} });
  for await (const r of reader) rows.push(r);
  return rows;
};

describe("readCsv", () => {
  it("loads a line, a record and a cell exactly at their limits and quarantines one byte more", async () => {
    const limits = { maxLineBytes: 40, maxRecordBytes: 60, maxCellBytes: 20 };
    const at = `a,${"b".repeat(38)}`; // 40 bytes, cell 38 > 20: a cell problem, not a line one
    const cellAt = `${"c".repeat(20)},d`; // cell of exactly 20 bytes
    const cellOver = `${"c".repeat(21)},d`;
    const lineAt = `${"e".repeat(19)},${"f".repeat(20)}`; // 40 bytes, cells ≤ 20
    const lineOver = `${"e".repeat(20)},${"f".repeat(20)}`; // 41 bytes
    const multiAt = `"${"g".repeat(18)}\n${"h".repeat(19)}",${"i".repeat(19)}`; // record of 60 bytes over two lines (cell 38)
    const rows = await read(`h1,h2\n${at}\n${cellAt}\n${cellOver}\n${lineAt}\n${lineOver}\n${multiAt}\nok,1\n`, {
      limits,
    });
    expect(rows.map((r) => r.problem ?? "ok")).toEqual([
      expect.stringMatching(/cell 2 is longer than the 20-byte cell limit \(CATDATA_MAX_CELL_BYTES\)/),
      "ok",
      expect.stringMatching(/cell 1 is longer than the 20-byte cell limit/),
      "ok",
      expect.stringMatching(/line is longer than the 40-byte line limit \(CATDATA_MAX_LINE_BYTES\)/),
      expect.stringMatching(/cell 1 is longer/),
      "ok",
    ]);
    const recordOver = `"${"g".repeat(19)}\n${"h".repeat(19)}",${"i".repeat(19)}`; // 61 bytes
    const more = await read(`h1,h2\n${recordOver}\nok,1\n`, { limits: { ...limits, maxCellBytes: 100 } });
    expect(more[0]?.problem).toMatch(/record is longer than the 60-byte record limit \(CATDATA_MAX_RECORD_BYTES\)/);
    expect(more.at(-1)?.values).toEqual({ h1: "ok", h2: "1" });
  });

  it("reads a CRLF header followed by LF rows, and lone-CR rows, as one row per line", async () => {
    const body = Array.from({ length: 100 }, (_, i) => `${i},cat${i}`).join("\n");
    const rows = await read(`id,name\r\n${body}\n`);
    expect(rows).toHaveLength(100);
    expect(rows.every((r) => r.problem === undefined)).toBe(true);
    expect(rows[99]?.values).toEqual({ id: "99", name: "cat99" });
    const mixed = await read("id,name\r1,a\r\n2,b\n3,c\r4,d", { chunk: 3 });
    expect(mixed.map((r) => r.values.name)).toEqual(["a", "b", "c", "d"]);
  });

  it("costs one row for an unterminated quote, at the end of the file and at the record limit", async () => {
    const good = Array.from({ length: 20_000 }, (_, i) => `${i + 2},cat${i}`).join("\n");
    const rows = await read(`id,name\n1,"never closed\n${good}\n`);
    expect(rows).toHaveLength(20_001);
    expect(rows[0]?.problem).toMatch(/quoted field .* never closed/);
    expect(rows.slice(1).filter((r) => r.problem)).toEqual([]);
    expect(rows[20_000]?.values).toEqual({ id: "20001", name: "cat19999" });
    // A file larger than the record limit: the open quote is given up at the limit.
    const capped = await read(`id,name\n1,"never closed\n${good}\n`, { limits: { maxRecordBytes: 4096 } });
    expect(capped).toHaveLength(20_001);
    expect(capped[0]?.problem).toMatch(/not closed within the 4096-byte record limit/);
    expect(capped.slice(1).filter((r) => r.problem)).toEqual([]);
  });

  it("reads quotes, escapes, embedded line ends, a BOM and another delimiter without altering values", async () => {
    const csv = '\uFEFFa;b;c\r\n"x;""y""";"line1\r\nline2\rline3";plain"quote\n;;\n';
    const rows = await read(csv, { chunk: 2 });
    // The last line, `;;`, is a row of empty cells: dropped, as in a sheet (header-row.ts).
    expect(rows.map((r) => r.values)).toEqual([{ a: 'x;"y"', b: "line1\r\nline2\rline3", c: 'plain"quote' }]);
    const extra = await read('a,b\n1,2,3\n"1"x,2\n');
    expect(extra.map((r) => r.problem)).toEqual([
      "row has 3 cells but the header has 2",
      "cell 1 has text after its closing quote",
    ]);
  });

  it("decodes Shift_JIS that starts after 150 KB of ASCII as Shift_JIS, never as U+FFFD", async () => {
    const ascii = Array.from({ length: 15_000 }, (_, i) => `${i},tama${i}`).join("\r\n");
    const sjis = iconv.encode("15000,ミケ\r\n15001,ｸﾛ\r\n", "cp932");
    const file = Buffer.concat([Buffer.from(`id,name\r\n${ascii}\r\n`), sjis]);
    expect(file.length).toBeGreaterThan(150 * 1024);
    const rows = await read(file);
    expect(rows).toHaveLength(15_002);
    expect(rows.slice(-2).map((r) => r.values.name)).toEqual(["ミケ", "ｸﾛ"]);
    expect(rows.some((r) => Object.values(r.values).some((v) => v.includes("\uFFFD")))).toBe(false);
  });

  it("fails broken Shift_JIS and broken UTF-8 naming the byte offset and the row", async () => {
    const head = iconv.encode("id,name\r\n1,ミケ\r\n2,", "cp932");
    const bad = Buffer.concat([head, Buffer.from([0x81, 0x20]), Buffer.from("\r\n3,c\r\n")]);
    await expect(read(bad, { encoding: "shift_jis" })).rejects.toThrow(
      new RegExp(`row 2 cannot be decoded: the byte at offset ${head.length} is not valid Shift_JIS`),
    );
    const good = Buffer.from("id,name\n1,ミケ\n2,");
    const utf8 = Buffer.concat([good, Buffer.from([0xff]), Buffer.from("\n")]);
    await expect(read(utf8)).rejects.toThrow(
      new RegExp(`row 2 cannot be decoded: the byte at offset ${good.length} is not valid UTF-8`),
    );
    const rows: CsvRow[] = [];
    await expect(
      (async () => {
        for await (const r of readCsv(Readable.from([utf8]), { encoding: "utf8" })) rows.push(r);
      })(),
    ).rejects.toThrow(/mixed or broken encoding/);
    expect(rows.map((r) => r.values.name)).toEqual(["ミケ"]);
  });

  it("keeps a character cut between chunks whole", async () => {
    const rows = await read("id,name\n1,三毛猫\n", { chunk: 1 });
    expect(rows[0]?.values.name).toBe("三毛猫");
  });

  it.skipIf(!hasSamples)("reads the real Austin intakes file: every row, none a problem", async () => {
    const file = sample("cats", "austin-aac-intakes-2013-2020", "Austin_Animal_Center_Intakes.csv");
    let headers: string[] = [];
    let rows = 0;
    let problems = 0;
    let last: CsvRow | undefined;
    for await (const r of readCsv(createReadStream(file), {
      encoding: "utf8",
      onHeader: (h) => (headers = h.headers),
    })) {
      rows += 1;
      if (r.problem) problems += 1;
      last = r;
    }
    expect(headers).toHaveLength(12);
    expect(headers[0]).toBe("Animal ID");
    expect(problems).toBe(0);
    expect(rows).toBe(117_169);
    expect(Object.keys(last?.values ?? {})).toEqual(headers);
  });
});
