import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import {
  getMunicipality,
  localGovCheckDigit,
  type Municipality,
  MunicipalityDirectory,
} from "../cats/municipalities.js";
import { CatdataError } from "../errors.js";

/**
 * The municipalities a deployment adds to the built-in table: CATDATA_MUNICIPALITIES_FILE, a CSV
 * (UTF-8, header row `code,name_ja,name_en,prefecture_ja,prefecture_en,country,fiscal_year_start_month`).
 * The built-in table already holds the full 全国地方公共団体コード list (src/cats/jp-local-gov.ts); the
 * file adds foreign municipalities with their fiscal year. Read once here, at start-up; a wrong row stops
 * start-up naming the file, the line and what is wrong. Exposed as `config.municipalities`, the one
 * `MunicipalityDirectory` the CLI and the API check codes against. Documented in docs/data-model.md.
 */
export type MunicipalitiesConfig = MunicipalityDirectory;

/** The file's header row, in this order. */
export const MUNICIPALITIES_FILE_COLUMNS = [
  "code",
  "name_ja",
  "name_en",
  "prefecture_ja",
  "prefecture_en",
  "country",
  "fiscal_year_start_month",
] as const;
/** Largest file read (bytes): the full Japanese list is ~100 KB; 4 MiB leaves room for many countries. */
export const MAX_MUNICIPALITIES_FILE_BYTES = 4 * 1024 ** 2;
/** Most rows (besides the header): ~1,800 in Japan; 20,000 covers any plausible deployment. */
export const MAX_MUNICIPALITIES_ROWS = 20_000;

export const municipalitiesConfigSchema = z.object({
  CATDATA_MUNICIPALITIES_FILE: z.string().min(1).optional(),
});

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Splits one CSV line; fields may be double-quoted (with "" for a quote). */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === "," && !quoted) {
      cells.push(cell);
      cell = "";
    } else {
      cell += ch;
    }
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
}

function rowToMunicipality(cells: string[], where: string): Municipality {
  const fail = (what: string): never => {
    throw new Error(`${where}: ${what}`);
  };
  if (cells.length !== MUNICIPALITIES_FILE_COLUMNS.length) {
    fail(`${cells.length} fields, expected ${MUNICIPALITIES_FILE_COLUMNS.length}`);
  }
  const [code = "", nameJa = "", nameEn = "", prefectureJa = "", prefectureEn = "", country = "", fy = ""] = cells;
  if (!/^[A-Z]{2}$/.test(country)) fail(`country ${JSON.stringify(country)} is not an ISO code such as JP or US`);
  if (!nameEn) fail("name_en is empty");
  if (country === "JP") {
    if (!/^\d{6}$/.test(code)) fail(`Japanese code ${JSON.stringify(code)}: not 6 digits`);
    const expected = localGovCheckDigit(code.slice(0, 5));
    if (Number(code[5]) !== expected) fail(`Japanese code ${code}: check digit is ${code[5]}, expected ${expected}`);
  } else if (!SLUG.test(code) || code.length < 2 || code.length > 32) {
    fail(`code ${JSON.stringify(code)} is not a slug such as us-tx-austin (a–z, 0–9, hyphens; 2–32 characters)`);
  }
  if (fy === "" && country !== "JP") {
    fail(`a municipality outside Japan must declare its fiscal_year_start_month (1–12)`);
  }
  const month = fy === "" ? 4 : Number(fy);
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    fail(`fiscal_year_start_month ${JSON.stringify(fy)} is not a month 1–12`);
  }
  const builtIn = getMunicipality(code);
  if (builtIn && builtIn.fiscalYearStartMonth !== month) {
    fail(`${code} is built in with a fiscal year starting in month ${builtIn.fiscalYearStartMonth}, not ${month}`);
  }
  return { code, nameJa: nameJa || nameEn, nameEn, prefectureJa, prefectureEn, country, fiscalYearStartMonth: month };
}

/** Parses the file's text into municipalities; throws an `Error` naming the line of the first problem. */
export function parseMunicipalitiesCsv(text: string): Municipality[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  while (lines.length > 0 && lines.at(-1)?.trim() === "") lines.pop();
  const header = splitCsvLine(lines[0] ?? "").join(",");
  if (header !== MUNICIPALITIES_FILE_COLUMNS.join(",")) {
    throw new Error(`line 1: the header must be ${MUNICIPALITIES_FILE_COLUMNS.join(",")}, not ${header}`);
  }
  if (lines.length - 1 > MAX_MUNICIPALITIES_ROWS) {
    throw new Error(`${lines.length - 1} rows, more than MAX_MUNICIPALITIES_ROWS (${MAX_MUNICIPALITIES_ROWS})`);
  }
  const seen = new Set<string>();
  const out: Municipality[] = [];
  for (const [i, line] of lines.entries()) {
    if (i === 0 || line.trim() === "") continue;
    const m = rowToMunicipality(splitCsvLine(line), `line ${i + 1}`);
    if (seen.has(m.code)) throw new Error(`line ${i + 1}: code ${m.code} appears twice`);
    seen.add(m.code);
    out.push(m);
  }
  return out;
}

export function toMunicipalitiesConfig(
  e: z.infer<typeof municipalitiesConfigSchema>,
  cwd: string,
): MunicipalitiesConfig {
  if (!e.CATDATA_MUNICIPALITIES_FILE) return new MunicipalityDirectory();
  const file = path.resolve(cwd, e.CATDATA_MUNICIPALITIES_FILE);
  const fail = (what: string, hint: string): never => {
    throw new CatdataError("CONFIG_INVALID", `invalid configuration:\n  CATDATA_MUNICIPALITIES_FILE=${file}: ${what}`, {
      hint,
    });
  };
  let text = "";
  try {
    const size = statSync(file).size;
    if (size > MAX_MUNICIPALITIES_FILE_BYTES) {
      fail(
        `${size} bytes, more than MAX_MUNICIPALITIES_FILE_BYTES (${MAX_MUNICIPALITIES_FILE_BYTES})`,
        "keep only the municipalities this deployment serves",
      );
    }
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof CatdataError) throw error;
    fail(`cannot be read (${(error as Error).message})`, "check the path (relative to the working directory)");
  }
  try {
    return new MunicipalityDirectory(parseMunicipalitiesCsv(text));
  } catch (error) {
    return fail(
      (error as Error).message,
      `fix the file: a UTF-8 CSV with the header ${MUNICIPALITIES_FILE_COLUMNS.join(",")} (docs/data-model.md)`,
    );
  }
}
