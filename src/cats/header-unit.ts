/**
 * A unit written after a column's name in brackets — `助成金額（円）`, `頭数(頭)`, `Count (cats)` — is not
 * part of the name: headers are matched without it, and the reader keeps it as the column's unit
 * (src/etl/header-row.ts). Only a known unit counts (`収容区分（詳細）` keeps its bracket): an optional
 * 千/万/百万 multiplier and one of HEADER_UNITS, or a percent sign, in half- or full-width brackets.
 */
export const HEADER_UNITS = [
  "円",
  "頭",
  "匹",
  "件",
  "人",
  "回",
  "日",
  "か月",
  "ヶ月",
  "ケ月",
  "月",
  "年",
  "歳",
  "才",
  "kg",
  "g",
  "km",
  "m",
  "yen",
  "jpy",
  "usd",
  "cats",
  "animals",
  "days",
  "months",
  "years",
  "count",
  "number",
] as const;

const UNIT = new RegExp(`^(?:(?:千|万|百万)?(?:${HEADER_UNITS.join("|")})|%)$`, "i");
const TRAILING_BRACKET = /^(.*?)\s*[(（［[]\s*([^()（）［］[\]]{1,12}?)\s*[)）］\]]\s*$/;

/** `助成金額（円）` → `{ name: "助成金額", unit: "円" }`; a header without a known unit is returned as it is. */
export function splitHeaderUnit(header: string): { name: string; unit?: string } {
  const m = TRAILING_BRACKET.exec(header);
  const name = m?.[1]?.trim();
  const unit = m?.[2]?.normalize("NFKC").trim();
  if (!name || !unit || !UNIT.test(unit)) return { name: header };
  return { name, unit };
}

/** The header without its unit, for matching. */
export const headerWithoutUnit = (header: string): string => splitHeaderUnit(header).name;
