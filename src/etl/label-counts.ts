/**
 * Row counts per distinct label of a column, in bounded memory: at most MAX_DISTINCT_LABELS labels
 * are counted; a column with more is *free text* (its counts are dropped, only the row total stays).
 * Used by the whole-file scan behind `suggest-mapping` and by the preview.
 */
export const MAX_DISTINCT_LABELS = 1000;

/** Placeholders sources write for "no value"; counted as empty, never as a label. */
const EMPTY = /^(na|n\/a|null)$/i;

export class LabelCounts {
  #counts: Map<string, number> | null = new Map();
  #rows = 0;
  #empty = 0;

  constructor(readonly cap = MAX_DISTINCT_LABELS) {}

  add(raw: string): void {
    this.#rows++;
    const label = raw.trim();
    if (label === "" || EMPTY.test(label)) {
      this.#empty++;
      return;
    }
    const counts = this.#counts;
    if (!counts) return;
    const n = counts.get(label);
    if (n !== undefined) counts.set(label, n + 1);
    else if (counts.size >= this.cap) this.#counts = null;
    else counts.set(label, 1);
  }

  /** True once the column had more than `cap` distinct labels: treat it as free text. */
  get freeText(): boolean {
    return this.#counts === null;
  }

  get rows(): number {
    return this.#rows;
  }

  get empty(): number {
    return this.#empty;
  }

  /** The distinct labels (as written, trimmed), most frequent first; [] for free text. */
  labels(): string[] {
    return this.entries().map(([label]) => label);
  }

  /** [label, rows] pairs, most frequent first (ties by label); [] for free text. */
  entries(): [string, number][] {
    return [...(this.#counts ?? [])].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  count(label: string): number {
    return this.#counts?.get(label.trim()) ?? 0;
  }
}
