/** Plain-text tables, number formatting and CSV: for the CLI, the behaviour texts and query results (imports only csv.ts). */
export function table(rows: Record<string, unknown>[], columns?: string[]): string {
  if (rows.length === 0) return "(no rows)\n";
  const cols = columns ?? Object.keys(rows[0] ?? {});
  const cell = (v: unknown) =>
    v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uffdc]/.test(ch) ? 2 : 1), 0);
  const widths = cols.map((c) => Math.min(60, Math.max(width(c), ...rows.map((r) => width(cell(r[c]))))));
  const pad = (s: string, w: number) => {
    const cut = width(s) > w ? `${[...s].slice(0, w - 1).join("")}…` : s;
    return cut + " ".repeat(Math.max(0, w - width(cut)));
  };
  const line = (values: string[]) =>
    values
      .map((v, i) => pad(v, widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return `${[line(cols), line(widths.map((w) => "-".repeat(w))), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join("\n")}\n`;
}

export const fmt = (n: number) => n.toLocaleString("en-US");

/** CSV for `--format csv` and query results: formula-safe, numbers kept, structs as JSON (see csv.ts). */
export { csv } from "./csv.js";
