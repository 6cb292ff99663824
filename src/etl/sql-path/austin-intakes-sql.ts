import { INTEGER_MAX } from "../../cats/schema.js";
import { literal } from "../../duckdb/duckdb.js";
import { ACCEPTED_DATES, EARLIEST_YEAR, LATEST_YEAR } from "../parse-values.js";
import type { SqlProfile } from "./sql-profile.js";
import { isAscii, isQuotable, jsTrim, quoted, text } from "./sql-text.js";

/**
 * The Austin intakes profile (profiles/austin-intakes.ts with parse-values.ts) in SQL, for the
 * forms the Austin file has: DateTime `MM/DD/YYYY hh:mm:ss AM`, ages like `2 years`, the sex labels,
 * the intake-type map. Every reason is the JS profile's text. What it cannot decide the same way —
 * another date form, a fractional or huge age, non-ASCII text where JS lower-cases, a year before
 * 100 (JS Date.UTC reads it as 19xx) — is a fallback: the file goes to the JS path.
 */
const INTAKE_TYPES: [string, string][] = [
  ["stray", "stray"],
  ["owner surrender", "owner_surrender"],
  ["public assist", "other"],
  ["euthanasia request", "owner_surrender"],
  ["abandoned", "stray"],
  ["wildlife", "other"],
];
/** Keys a plain JS object answers from its prototype (INTAKE_TYPES["constructor"]): never decided here. */
const PROTOTYPE_KEYS = ["constructor", "__proto__"];
/** Age digits decided here: n × 365 stays exact in both engines (the INTEGER check still applies). */
export const MAX_AGE_DIGITS = 12;

const US_DATE_TIME = "^\\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}:\\d{2} [AaPp][Mm]$";
const LETTERS_ONLY = "^ *[A-Za-z][A-Za-z ]*$";
/** The common age form, read without captures: `2 years`, `1 month` (at most MAX_AGE_DIGITS digits). */
const AGE_FAST = `^\\d{1,${MAX_AGE_DIGITS}} (year|month|week|day)s?$`;
const AGE = "^(-?\\d+(?:\\.\\d+)?)[\\t\\n\\x0B\\f\\r ]*(year|month|week|day)s?$";

/** The pieces of a US date-time (d_us holds), read only for a row whose date is refused. */
const piece = {
  mo: "CAST(substr(d_dt, 1, 2) AS INTEGER)",
  d: "CAST(substr(d_dt, 4, 2) AS INTEGER)",
  y: "CAST(substr(d_dt, 7, 4) AS INTEGER)",
  h: "CAST(substr(d_dt, 12, 2) AS INTEGER)",
  mi: "CAST(substr(d_dt, 15, 2) AS INTEGER)",
  se: "CAST(substr(d_dt, 18, 2) AS INTEGER)",
  pm: "upper(substr(d_dt, 21, 2))",
};
/** Days in the date's month, for a year from 100 on (JS Date.UTC reads 0–99 as 19xx: those fall back). */
const daysInMonth = `day(last_day(make_date(${piece.y}, ${piece.mo}, 1)))`;
const dt = quoted("d_dt");
/** parseDateTime's refusals in its order (the WHEN … THEN … of a CASE), NULL when none applies. */
const dateRefusal = `
  WHEN ${jsTrim("d_dt")} = '' THEN ${text("date is empty")}
  WHEN NOT d_us THEN 'date ' || ${dt} || ${text(` is not in a known format; accepted: ${ACCEPTED_DATES}`)}
  WHEN ${piece.h} < 1 OR ${piece.h} > 12 THEN 'time in ' || ${dt} || ' has hour ' || ${piece.h} || ' with ' || ${piece.pm}
  WHEN ${piece.mo} < 1 OR ${piece.mo} > 12 THEN 'date ' || ${dt} || ' has month ' || ${piece.mo}
  WHEN ${piece.y} < 100 THEN NULL
  WHEN ${piece.d} < 1 OR ${piece.d} > ${daysInMonth} THEN 'date ' || ${dt} || ' has day ' || ${piece.d} || ', but that month has ' || ${daysInMonth}
  WHEN ${piece.y} < ${EARLIEST_YEAR} OR ${piece.y} > ${LATEST_YEAR} THEN 'date ' || ${dt} || ' has year ' || ${piece.y}
  WHEN ${piece.mi} > 59 OR ${piece.se} > 59 THEN 'time in ' || ${dt} || ' is out of range'`;
const unitDays = (unit: string) =>
  `CASE ${unit} WHEN 'year' THEN 365 WHEN 'years' THEN 365 WHEN 'month' THEN 30 WHEN 'months' THEN 30 WHEN 'week' THEN 7 WHEN 'weeks' THEN 7 ELSE 1 END`;

export const austinIntakesSql: SqlProfile = {
  name: "austin-intakes",
  dataset: "intakes",
  skip: () => "NOT d_cat",
  skipReason: "not a cat",
  skipLabel: ({ cell }) => cell("Animal Type"),
  derived: ({ cell, trimCell }) => [
    [
      ["d_cat", `${cell("Animal Type")} = 'Cat' OR lower(${trimCell(cell("Animal Type"))}) = 'cat'`],
      ["d_dt", cell("DateTime")],
      ["d_age", cell("Age upon Intake")],
      ["d_type", trimCell(cell("Intake Type"))],
      ["d_id", trimCell(cell("Animal ID"))],
      ["d_cond", cell("Intake Condition")],
      ["d_sex", cell("Sex upon Intake")],
      ["d_place", `nullif(${trimCell(cell("Found Location"))}, '')`],
    ],
    [
      ["d_us", `regexp_matches(d_dt, ${literal(US_DATE_TIME)})`],
      ["d_age_s", `lower(${trimCell("d_age")})`],
      ["d_key", "lower(d_type)"],
      ["d_sex_s", `lower(${trimCell("d_sex")})`],
    ],
    [
      ["d_ts", "CASE WHEN d_us THEN try_strptime(d_dt, '%m/%d/%Y %I:%M:%S %p') END"],
      ["d_age_null", "d_age_s IN ('', 'unknown', 'nan')"],
      ["d_age_fast", `regexp_matches(d_age_s, ${literal(AGE_FAST)})`],
      ["d_intake", `CASE d_key ${INTAKE_TYPES.map(([k, v]) => `WHEN ${literal(k)} THEN ${literal(v)}`).join(" ")} END`],
    ],
    [
      ["d_ok", `d_ts IS NOT NULL AND year(d_ts) BETWEEN ${EARLIEST_YEAR} AND ${LATEST_YEAR}`],
      // The general age form, read only where the fast one does not hold.
      [
        "d_age_m",
        `CASE WHEN NOT d_age_null AND NOT d_age_fast THEN regexp_extract(d_age_s, ${literal(AGE)}, ['n', 'unit']) END`,
      ],
    ],
    [
      ["d_date_why", `CASE WHEN d_ok THEN NULL ${dateRefusal} END`],
      [
        "d_age_exact",
        `d_age_fast OR (d_age_m.n <> '' AND NOT contains(d_age_m.n, '.') AND length(replace(d_age_m.n, '-', '')) <= ${MAX_AGE_DIGITS})`,
      ],
      [
        "d_age_days",
        `CASE WHEN d_age_null THEN NULL
          WHEN d_age_fast THEN CAST(split_part(d_age_s, ' ', 1) AS BIGINT) * ${unitDays("split_part(d_age_s, ' ', 2)")}
          WHEN d_age_m.n <> '' AND NOT contains(d_age_m.n, '.') AND length(replace(d_age_m.n, '-', '')) <= ${MAX_AGE_DIGITS}
            THEN CAST(d_age_m.n AS BIGINT) * ${unitDays("d_age_m.unit")} END`,
      ],
    ],
  ],
  steps: () => [
    // parseDateTime: the US form (fast path, or the slow path's refusals in its order), empty, or no digits at all.
    {
      fallback: `NOT d_ok AND (CASE WHEN NOT d_us THEN ${jsTrim("d_dt")} <> '' AND NOT regexp_matches(d_dt, ${literal(LETTERS_ONLY)}) ELSE d_date_why IS NULL END)`,
    },
    { reject: "NOT d_ok", reason: "d_date_why" },
    // parseAgeDays (its \s is [\t\n\v\f\r ] in ASCII text; other text falls back)
    {
      fallback: `NOT d_age_fast AND (NOT ${isAscii("d_age")} OR (NOT d_age_null AND d_age_m.n <> '' AND NOT d_age_exact))`,
    },
    {
      fallback: `NOT d_age_fast AND NOT d_age_null AND (d_age_m.n = '' OR d_age_days < 0) AND NOT ${isQuotable("d_age")}`,
    },
    {
      reject: "NOT d_age_fast AND NOT d_age_null AND d_age_m.n = ''",
      reason: `'age ' || ${quoted("d_age")} || ' is not like "2 years" or "3 weeks"'`,
    },
    { reject: "d_age_days < 0", reason: `'age ' || ${quoted("d_age")} || ' is negative'` },
    // the intake-type map
    {
      fallback: `d_intake IS NULL AND (NOT ${isAscii("d_type")} OR d_key IN (${PROTOTYPE_KEYS.map(literal).join(", ")}) OR NOT ${isQuotable("d_type")})`,
    },
    {
      reject: "d_intake IS NULL",
      reason: `'intake type ' || ${quoted("d_type")} || ' is not known to this profile'`,
    },
    { reject: "d_id = ''", reason: text("Animal ID is empty") },
    // the record's other values (lower-cased text) and its column checks (validate-record.ts, "row N: " first)
    { fallback: `NOT ${isAscii("d_cond")} OR NOT ${isAscii("d_sex")}` },
    {
      reject: `d_age_days > ${INTEGER_MAX}`,
      reason: `'column age_days (intakes.ageDays) holds ' || d_age_days || ', above the INTEGER limit ${INTEGER_MAX}'`,
      rowPrefix: true,
    },
  ],
  fields: ({ municipality, fiscalYearStartMonth, jobId, trimCell }) => ({
    municipality: literal(municipality),
    fiscal_year: `CASE WHEN month(d_ts) >= ${fiscalYearStartMonth} THEN year(d_ts) ELSE year(d_ts) - 1 END`,
    animal_id: "d_id",
    intake_at: "d_ts",
    intake_type: "d_intake",
    intake_type_original: "d_type",
    condition: `nullif(lower(${trimCell("d_cond")}), '')`,
    age_days: "d_age_days",
    age_class: "CASE WHEN d_age_days IS NULL THEN 'unknown' WHEN d_age_days < 150 THEN 'kitten' ELSE 'adult' END",
    sex: "CASE WHEN contains(d_sex_s, 'female') OR d_sex_s = 'f' THEN 'female' WHEN contains(d_sex_s, 'male') OR d_sex_s = 'm' THEN 'male' ELSE 'unknown' END",
    altered:
      "CASE WHEN contains(d_sex_s, 'neutered') OR contains(d_sex_s, 'spayed') OR contains(d_sex_s, 'altered') THEN true WHEN contains(d_sex_s, 'intact') THEN false END",
    found_location: "d_place",
    source_job: literal(jobId),
  }),
  dedupColumns: ["animal_id", "intake_at"],
  // intake_at is the TIMESTAMP; the JS key holds its ISO text (formatted for good rows only).
  dedupKey: "animal_id || '|' || strftime(intake_at, '%Y-%m-%dT%H:%M:%S')",
};
