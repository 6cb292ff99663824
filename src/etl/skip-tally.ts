import type { SkippedGroup } from "./job-log.js";

/** How many skip groups a job record lists (the most frequent). */
export const SKIPPED_BY_SHOWN = 20;
/**
 * Distinct (reason, label) pairs a job counts one by one; rows of further labels count under
 * OTHER_LABELS, so a file of a million distinct labels keeps the tally bounded.
 */
export const MAX_SKIP_GROUPS = 1000;
export const OTHER_LABELS = "(other labels)";

/** The rows a job skipped, by reason and label (the species cell, a request type), for its summary. */
export class SkipTally {
  private readonly groups = new Map<string, SkippedGroup>();

  add(reason: string, label: string, rows = 1): void {
    const key = `${reason}\n${label}`;
    let group = this.groups.get(key);
    // The OTHER_LABELS group of each reason may go over the cap (one per reason).
    if (!group && this.groups.size >= MAX_SKIP_GROUPS && label !== OTHER_LABELS) {
      this.add(reason, OTHER_LABELS, rows);
      return;
    }
    if (!group) {
      group = { reason, label, rows: 0 };
      this.groups.set(key, group);
    }
    group.rows += rows;
  }

  /** Rows skipped for `reason`, whatever their label. */
  rowsFor(reason: string): number {
    let n = 0;
    for (const g of this.groups.values()) if (g.reason === reason) n += g.rows;
    return n;
  }

  /** The `n` largest groups, most rows first (then by reason and label, for a stable order). */
  top(n = SKIPPED_BY_SHOWN): SkippedGroup[] {
    return [...this.groups.values()]
      .sort((a, b) => b.rows - a.rows || a.reason.localeCompare(b.reason) || a.label.localeCompare(b.label))
      .slice(0, n)
      .map((g) => ({ ...g }));
  }
}
