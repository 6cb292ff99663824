/**
 * Turns an Excel cell value (exceljs) into the text a CSV cell would hold. Formulas are never
 * evaluated: their cached result is used, or the formula text is kept neutralised as data.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.slice(0, 19);
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return value;
  if (typeof value === "object") {
    const v = value as Record<string, unknown>;
    if ("result" in v && v.result !== undefined) return cellText(v.result);
    if ("formula" in v || "sharedFormula" in v) return `'=${String(v.formula ?? v.sharedFormula)}`;
    if (Array.isArray(v.richText)) return (v.richText as { text?: string }[]).map((r) => r.text ?? "").join("");
    if ("text" in v) return cellText(v.text);
    if ("error" in v) return "";
  }
  return String(value);
}
