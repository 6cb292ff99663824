/**
 * Pins CATDATA_MUNICIPALITIES_FILE: its rows join the built-in municipalities in `config.municipalities`
 * (the directory the CLI and the API check codes against); a Japanese code must carry its check
 * digit, a foreign municipality must declare its fiscal-year start, a code may not appear twice nor
 * contradict the built-in table's fiscal year, the header is fixed; each refusal names the file, the
 * line and what is wrong; the row and byte caps hold at their limits.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../testing/fixtures.js";
import { loadConfig } from "./config.js";
import {
  MAX_MUNICIPALITIES_FILE_BYTES,
  MAX_MUNICIPALITIES_ROWS,
  MUNICIPALITIES_FILE_COLUMNS,
  parseMunicipalitiesCsv,
} from "./municipalities-config.js";

const HEADER = MUNICIPALITIES_FILE_COLUMNS.join(",");
function load(text: string) {
  const dir = tempDir();
  const file = path.join(dir, "municipalities.csv");
  writeFileSync(file, text);
  return loadConfig({ CATDATA_HOME: path.join(dir, "home"), CATDATA_MUNICIPALITIES_FILE: file }, dir);
}

describe("CATDATA_MUNICIPALITIES_FILE", () => {
  it("adds its municipalities to the built-in ones", () => {
    const config = load(
      `\uFEFF${HEADER}\r\n272051,吹田市,Suita,大阪府,Osaka,JP,\r\nus-or-portland,"ポートランド市",Portland,オレゴン州,Oregon,US,7\r\n`,
    );
    const d = config.municipalities;
    expect(d.get("272051")).toMatchObject({ nameJa: "吹田市", country: "JP", fiscalYearStartMonth: 4 });
    expect(d.get("us-or-portland")).toMatchObject({ nameEn: "Portland", fiscalYearStartMonth: 7 });
    expect(d.get("272035")?.nameJa).toBe("豊中市");
    expect(d.check("Suita City")).toMatchObject({ reason: "a name, not a code: use the code, e.g. 272051 for 吹田市" });
  });

  it("without it, the directory is the built-in table (the full Japanese code list and the built-in others)", () => {
    const config = loadConfig({ CATDATA_HOME: path.join(tempDir(), "home") });
    // 27999 + check digit 4: a well-formed code no municipality has.
    expect(config.municipalities.check("279994")).toMatchObject({ ok: false, kind: "unknown-code" });
    expect(config.municipalities.check("272035").ok).toBe(true);
    expect(config.municipalities.check("272051").ok).toBe(true); // 吹田市 (大阪府), one of the 1,747
  });

  it("accepts a built-in code that agrees with the built-in table (a full list includes them)", () => {
    expect(load(`${HEADER}\n131041,新宿区,Shinjuku,東京都,Tokyo,JP,4\n`).municipalities.get("131041")?.nameEn).toBe(
      "Shinjuku",
    );
  });

  it.each([
    ["272052,吹田市,Suita,大阪府,Osaka,JP,", "line 2: Japanese code 272052: check digit is 2, expected 1"],
    ["27205,吹田市,Suita,大阪府,Osaka,JP,", 'line 2: Japanese code "27205": not 6 digits'],
    [
      "us-or-portland,,Portland,,Oregon,US,",
      "line 2: a municipality outside Japan must declare its fiscal_year_start_month",
    ],
    ["us-or-portland,,Portland,,Oregon,US,13", 'line 2: fiscal_year_start_month "13" is not a month 1–12'],
    ["Portland OR,,Portland,,Oregon,US,7", 'line 2: code "Portland OR" is not a slug'],
    ["us-or-portland,,Portland,,Oregon,USA,7", 'line 2: country "USA" is not an ISO code'],
    ["us-or-portland,,,,Oregon,US,7", "line 2: name_en is empty"],
    ["us-or-portland,Portland,US,7", "line 2: 4 fields, expected 7"],
    [
      "us-tx-austin,,Austin,,Texas,US,7",
      "line 2: us-tx-austin is built in with a fiscal year starting in month 10, not 7",
    ],
  ])("refuses %j", (row, message) => {
    expect(() => load(`${HEADER}\n${row}\n`)).toThrow(message);
    expect(() => load(`${HEADER}\n${row}\n`)).toThrow(/CATDATA_MUNICIPALITIES_FILE=.*municipalities\.csv/);
  });

  it("refuses a code given twice and a wrong header", () => {
    const row = "272051,吹田市,Suita,大阪府,Osaka,JP,4";
    expect(() => load(`${HEADER}\n${row}\n${row}\n`)).toThrow("line 3: code 272051 appears twice");
    expect(() => load(`code,name\n${row}\n`)).toThrow(`line 1: the header must be ${HEADER}`);
    expect(() => loadConfig({ CATDATA_MUNICIPALITIES_FILE: path.join(tempDir(), "missing.csv") })).toThrow(
      /cannot be read/,
    );
  });

  it("reads MAX_MUNICIPALITIES_ROWS rows and refuses one more", () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => `xx-town-${i},,Town ${i},,,XX,1`).join("\n");
    expect(parseMunicipalitiesCsv(`${HEADER}\n${rows(MAX_MUNICIPALITIES_ROWS)}\n`)).toHaveLength(
      MAX_MUNICIPALITIES_ROWS,
    );
    expect(() => parseMunicipalitiesCsv(`${HEADER}\n${rows(MAX_MUNICIPALITIES_ROWS + 1)}\n`)).toThrow(
      `${MAX_MUNICIPALITIES_ROWS + 1} rows, more than MAX_MUNICIPALITIES_ROWS`,
    );
  });

  it("reads a file of MAX_MUNICIPALITIES_FILE_BYTES and refuses one byte more", () => {
    const start = `${HEADER}\nxx-big,,`;
    const end = ",,,XX,1\n";
    const exact = `${start}${"N".repeat(MAX_MUNICIPALITIES_FILE_BYTES - start.length - end.length)}${end}`;
    expect(Buffer.byteLength(exact)).toBe(MAX_MUNICIPALITIES_FILE_BYTES);
    expect(load(exact).municipalities.get("xx-big")).toBeDefined();
    expect(() => load(exact.replace(",,,XX", "N,,,XX"))).toThrow(
      `${MAX_MUNICIPALITIES_FILE_BYTES + 1} bytes, more than MAX_MUNICIPALITIES_FILE_BYTES`,
    );
  });
});
