/**
 * SQL (DuckDB) fragments that decide text the way the JS profiles' string calls do, or say they
 * cannot (then the caller falls back to the JS path). Pure builders: they return SQL text.
 */
import { literal } from "../../duckdb/duckdb.js";

/** ASCII only (bytes = characters): then JS toLowerCase and DuckDB lower() agree. */
export const isAscii = (e: string) => `(strlen(${e}) = length(${e}))`;

/** JS `String.prototype.trim`'s whitespace: ECMAScript WhiteSpace (Zs included) and LineTerminator. */
export const JS_WHITESPACE =
  "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";

/** The ASCII part of JS_WHITESPACE: all an ASCII text can be trimmed of (and 6× cheaper to trim with). */
const ASCII_WHITESPACE = "\t\n\v\f\r ";

/** `e.trim()` exactly as JS trims (DuckDB's one-argument trim() removes spaces only). */
export const jsTrim = (e: string) =>
  `CASE WHEN ${isAscii(e)} THEN trim(${e}, ${literal(ASCII_WHITESPACE)}) ELSE trim(${e}, ${literal(JS_WHITESPACE)}) END`;

/** Text JSON.stringify writes as `"` + text + `"` (no quote, backslash or control character to escape). */
export const isQuotable = (e: string) => `NOT regexp_matches(${e}, '["\\\\\\x00-\\x1F]')`;

/** JSON.stringify(e) for text that isQuotable. */
export const quoted = (e: string) => `('"' || ${e} || '"')`;

/** A SQL VARCHAR of JS text. */
export const text = (s: string) => literal(s);

/**
 * jsTrim of a raw cell, given `loose` (a BOOLEAN column): whether its line may hold JS whitespace
 * other than the space (scan-csv.ts mayBeLoose). When not, the cell's only possible whitespace is
 * the space, so a cell that neither starts nor ends with one is its own trim — and trimming with a
 * character set is DuckDB's costliest string call here (~0.5 µs a cell), while these tests are ~10 ns.
 */
export const looseTrim = (e: string, loose: string) =>
  `CASE WHEN ${loose} OR starts_with(${e}, ' ') OR ends_with(${e}, ' ') THEN ${jsTrim(e)} ELSE ${e} END`;
