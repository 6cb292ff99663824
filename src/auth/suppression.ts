import { badInput } from "../errors.js";

/**
 * Minimum-cell suppression of aggregate counts, so that no single animal or complainant can be singled
 * out by someone who may not read the records. Within each group (the cells that add up to a total a
 * reader may know from elsewhere, e.g. one municipality-month split by type), a cell is suppressed when
 *  1. primary: its count is below `minCell`;
 *  2. complementary: the rest of its group is below `minCell` but not zero (total − cell would reveal it);
 *  3. secondary: it is the smallest visible cell of a group where exactly one cell is suppressed
 *     (otherwise total − visible cells = the suppressed one).
 * Decisions depend only on the group, never on which cells a request asked for: callers must compute
 * them over whole groups and filter afterwards, so two requests cannot be differenced.
 */
export type SuppressedRow<T extends { n: number }> = Omit<T, "n"> & { n: number | null; suppressed: boolean };

export interface SuppressionOptions<T> {
  minCell: number;
  /** Rows the caller may see exactly (their own municipality, or analysts and admins). */
  exact: (row: T) => boolean;
  /** The group a row belongs to. */
  group: (row: T) => string;
}

export function suppressSmallCells<T extends { n: number }>(
  rows: readonly T[],
  options: SuppressionOptions<T>,
): SuppressedRow<T>[] {
  const { minCell } = options;
  const hidden = new Set<T>();
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    if (options.exact(row)) continue;
    const key = options.group(row);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  for (const cells of groups.values()) {
    const total = cells.reduce((s, r) => s + r.n, 0);
    for (const r of cells) {
      const rest = total - r.n;
      if (r.n < minCell || (rest > 0 && rest < minCell)) hidden.add(r);
    }
    const visible = cells.filter((r) => !hidden.has(r)).sort((a, b) => a.n - b.n);
    if (cells.length - visible.length === 1 && visible[0]) hidden.add(visible[0]);
  }
  return rows.map((row) => ({ ...row, n: hidden.has(row) ? null : row.n, suppressed: hidden.has(row) }));
}

const MONTH_START = /^\d{4}-\d{2}-01$/;

/**
 * Date bounds of an aggregate view that may be suppressed must be whole months (cells are monthly):
 * two ranges a day apart would otherwise differ by that day's animals.
 */
export function assertWholeMonths(range: { from?: string | undefined; to?: string | undefined }): void {
  for (const [name, value] of Object.entries(range)) {
    if (value !== undefined && !MONTH_START.test(value)) {
      throw badInput(
        `${name}=${value}: aggregates across municipalities take whole months`,
        `use the first day of a month, e.g. ${name}=${value.slice(0, 8)}01`,
      );
    }
  }
}
