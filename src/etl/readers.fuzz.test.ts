/**
 * Property-based tests of the upload readers (CSV, JSON, Excel): a random table of cell values —
 * quotes, delimiters, embedded line ends, empty cells, Japanese text — is serialised (UTF-8, UTF-8 with
 * BOM, Shift_JIS; CRLF/LF/CR mixed; cut into random chunk sizes), read back, and:
 * - every data row comes back exactly once, as a row or as a row with a problem;
 * - no value is altered: rows without a problem equal the table, and a problem is only ever a limit;
 * - nothing decodes to U+FFFD, and the event loop stays responsive.
 * Fixed seed and a short budget here; `npm run fuzz` runs longer (CATDATA_FUZZ_RUNS, CATDATA_FUZZ_SEED).
 */
import { Readable } from "node:stream";
import { isDeepStrictEqual } from "node:util";
import ExcelJS from "exceljs";
import fc from "fast-check";
import iconv from "iconv-lite";
import { afterAll, describe, expect, it } from "vitest";
import { type CsvRow, readCsv } from "./csv-reader.js";
import type { IngestLimits } from "./limits.js";
import { openTables } from "./tables.js";

const RUNS = Number(process.env.CATDATA_FUZZ_RUNS ?? 30);
const SEED = Number(process.env.CATDATA_FUZZ_SEED ?? 20261203);
const TIMEOUT = Math.max(20_000, RUNS * 1_000);
const params = (scale = 1) => ({ numRuns: Math.max(1, Math.round(RUNS * scale)), seed: SEED });

// Characters every encoding under test can hold (CP932 included).
const CHARS = ["a", "b", "Z", "0", "9", " ", ",", ";", "\t", "|", '"', "\n", "\r", "ミ", "猫", "ｸ", "-", "'"];
const cellArb = (chars = CHARS) => fc.array(fc.constantFrom(...chars), { maxLength: 12 }).map((cs) => cs.join(""));
const headerArb = fc.uniqueArray(
  fc
    .array(fc.constantFrom("a", "b", "c", "ミ", "猫", "x", "1", "_"), { minLength: 1, maxLength: 6 })
    .map((cs) => cs.join("")),
  { minLength: 1, maxLength: 5 },
);
const tableArb = (chars?: string[]) =>
  headerArb.chain((headers) =>
    fc.record({
      headers: fc.constant(headers),
      rows: fc.array(fc.array(cellArb(chars), { minLength: headers.length, maxLength: headers.length }), {
        maxLength: 30,
      }),
    }),
  );
type Table = { headers: string[]; rows: string[][] };

/** Longest gap between 5 ms ticks seen while the readers ran (not while the tables were generated). */
let worstGap = 0;
async function responsive<T>(work: () => Promise<T>): Promise<T> {
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worstGap = Math.max(worstGap, now - last);
    last = now;
  }, 5);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    worstGap = Math.max(worstGap, performance.now() - last);
  }
}
afterAll(() => {
  expect(worstGap).toBeLessThan(200);
});

const chunked = (bytes: Buffer, sizes: number[]): Readable => {
  const parts: Buffer[] = [];
  let i = 0;
  let k = 0;
  while (i < bytes.length) {
    const n = sizes[k++ % sizes.length] ?? 1;
    parts.push(bytes.subarray(i, i + n));
    i += n;
  }
  return Readable.from(parts);
};

const quoteCsv = (cell: string, alone: boolean) =>
  /[",;\t|\r\n]/.test(cell) || (alone && cell === "") ? `"${cell.replaceAll('"', '""')}"` : cell;

function checkRows(rows: CsvRow[], table: Table, limits: Partial<IngestLimits> = {}): void {
  expect(rows).toHaveLength(table.rows.length);
  const cap = limits.maxCellBytes ?? Number.POSITIVE_INFINITY;
  const wrong: unknown[] = [];
  rows.forEach((r, i) => {
    const want = Object.fromEntries(table.headers.map((h, k) => [h, table.rows[i]?.[k] ?? ""]));
    // A problem is only ever a limit this row really crosses; any other row comes back unaltered.
    const ok = r.problem
      ? /limit \(CATDATA_MAX_/.test(r.problem) && Object.values(want).some((v) => Buffer.byteLength(v) > cap)
      : r.row === i + 1 && isDeepStrictEqual(r.values, want);
    if (!ok || Object.values(r.values).some((v) => v.includes("\uFFFD"))) wrong.push({ got: r, want });
  });
  expect(wrong.slice(0, 3)).toEqual([]);
}

describe("CSV reader (fuzz)", () => {
  it(
    "reads back every row of a random table, in any encoding, line ending and chunking",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          tableArb(),
          fc.constantFrom(",", ";", "\t", "|"),
          fc.constantFrom("utf8", "utf8-bom", "shift_jis", "shift_jis-sniffed-as-utf8"),
          fc.array(fc.constantFrom("\n", "\r\n", "\r"), { minLength: 1, maxLength: 5 }),
          fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 4 }),
          fc.boolean(),
          fc.constantFrom(undefined, 18, 30),
          fc.integer({ min: 1, max: 300 }),
          async (small, delimiter, encoding, endings, sizes, trailingEnd, maxCell, times) => {
            // Repeated rows make files of up to a few hundred KB, cut into many pieces. Headers are labels and
            // the first cell names the row, so the header is the first line and no row reads as a total,
            // a footnote or an empty row (header-row.ts; pinned in header-row.test.ts).
            const plain = {
              headers: small.headers.map((h) => `h${h}`),
              rows: small.rows.map((r) => [`id${r[0]}`, ...r.slice(1)]),
            };
            const table = { headers: plain.headers, rows: Array.from({ length: times }, () => plain.rows).flat() };
            const lines = [table.headers, ...table.rows].map((cells) =>
              cells.map((c) => quoteCsv(c, cells.length === 1)).join(delimiter),
            );
            let text = lines.map((l, i) => l + (endings[i % endings.length] ?? "\n")).join("");
            if (!trailingEnd) text = text.replace(/(\r\n|\r|\n)$/, "");
            const sjis = encoding.startsWith("shift_jis");
            const bytes = sjis
              ? iconv.encode(text, "cp932")
              : Buffer.from(encoding === "utf8-bom" ? `\uFEFF${text}` : text);
            const limits = maxCell === undefined ? {} : { maxCellBytes: maxCell };
            const rows: CsvRow[] = [];
            try {
              await responsive(async () => {
                for await (const r of readCsv(chunked(bytes, sizes), {
                  encoding: encoding === "shift_jis" ? "shift_jis" : "utf8",
                  bom: encoding === "utf8-bom",
                  limits,
                }))
                  rows.push(r);
              });
            } catch (error) {
              // Shift_JIS read as UTF-8 may only be refused when UTF-8 was seen before it — never mis-decoded.
              if (encoding !== "shift_jis-sniffed-as-utf8") throw error;
              expect((error as Error).message).toMatch(/cannot be decoded/);
              return;
            }
            checkRows(rows, table, limits);
          },
        ),
        params(),
      );
    },
    TIMEOUT,
  );
});

const collect = async (stream: Readable, fileName: string, format: Parameters<typeof openTables>[1]) => {
  const out: { headers: string[]; rows: CsvRow[] }[] = [];
  for await (const t of openTables(stream, format, fileName)) {
    const rows: CsvRow[] = [];
    for await (const r of t.rows) rows.push(r);
    out.push({ headers: t.headers(), rows });
  }
  return out;
};

describe("JSON reader (fuzz)", () => {
  it(
    "reads back every object of a random table as JSON lines or a JSON array",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          tableArb().filter((t) => t.rows.length > 0),
          fc.boolean(),
          fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 4 }),
          async (table, asArray, sizes) => {
            const objects = table.rows.map((r) =>
              JSON.stringify(Object.fromEntries(table.headers.map((h, k) => [h, r[k]]))),
            );
            const text = asArray ? `[\n${objects.join(",\r\n")}\n]` : objects.join("\n");
            const [read] = await responsive(() =>
              collect(chunked(Buffer.from(text), sizes), asArray ? "t.json" : "t.jsonl", {
                kind: "text",
                encoding: "utf8",
                bom: false,
              }),
            );
            checkRows(read?.rows ?? [], table);
          },
        ),
        params(0.5),
      );
    },
    TIMEOUT,
  );
});

describe("Excel reader (fuzz)", () => {
  it(
    "reads back every row of a random table written as .xlsx",
    async () => {
      // XML turns CR into LF, so Excel cells hold no CR; the first column is never empty (an empty row is
      // skipped) and headers are labels (the header is the first row: header-row.ts).
      const chars = CHARS.filter((c) => c !== "\r");
      await fc.assert(
        fc.asyncProperty(tableArb(chars), fc.integer({ min: 1, max: 70_000 }), async (table, size) => {
          const rows = table.rows.map((r) => [`id${r[0]}`, ...r.slice(1)]);
          const headers = table.headers.map((h) => `h${h}`);
          const wb = new ExcelJS.Workbook();
          const sheet = wb.addWorksheet("cats");
          sheet.addRow(headers);
          for (const r of rows) sheet.addRow(r);
          const bytes = Buffer.from(await wb.xlsx.writeBuffer());
          const [read] = await responsive(() => collect(chunked(bytes, [size]), "t.xlsx", { kind: "xlsx" }));
          checkRows(read?.rows ?? [], { headers, rows });
        }),
        params(0.25),
      );
    },
    TIMEOUT,
  );
});
