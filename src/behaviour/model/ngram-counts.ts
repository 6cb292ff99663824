/**
 * Additive n-gram counts over event keys, orders 1–3, kept as the trigram table `(c2, c1, next) → n`
 * with its bigram and unigram marginals indexed for look-ups. Counts only ever grow: adding a batch
 * is the same as having counted it in the first place (what makes training incremental).
 */
export type Continuations = Map<string, number>;

interface Table {
  next: Map<string, Continuations>;
  total: Map<string, number>;
}

const SEP = "\u0000";
const contextKey = (c2: string, c1: string) => `${c2}${SEP}${c1}`;

function bump(table: Table, context: string, next: string, n: number): void {
  let row = table.next.get(context);
  if (!row) {
    row = new Map();
    table.next.set(context, row);
  }
  row.set(next, (row.get(next) ?? 0) + n);
  table.total.set(context, (table.total.get(context) ?? 0) + n);
}

const newTable = (): Table => ({ next: new Map(), total: new Map() });

/** One level of evidence for the next key: counts of continuations, their total and how many differ. */
export interface Evidence {
  counts: Continuations;
  total: number;
}

export class NgramCounts {
  private readonly trigrams = newTable();
  private readonly bigrams = newTable();
  readonly unigrams: Continuations = new Map();
  total = 0;

  add(c2: string, c1: string, next: string, n = 1): void {
    bump(this.trigrams, contextKey(c2, c1), next, n);
    bump(this.bigrams, c1, next, n);
    this.unigrams.set(next, (this.unigrams.get(next) ?? 0) + n);
    this.total += n;
  }

  addAll(other: NgramCounts): void {
    for (const [c2, c1, next, n] of other.entries()) this.add(c2, c1, next, n);
  }

  /** Evidence of order 3 (after c2 c1), 2 (after c1) and 1 (any context), most specific first. */
  evidence(c2: string, c1: string): [Evidence | undefined, Evidence | undefined, Evidence | undefined] {
    const tri = contextKey(c2, c1);
    const t = this.trigrams.next.get(tri);
    const b = this.bigrams.next.get(c1);
    return [
      t && { counts: t, total: this.trigrams.total.get(tri) ?? 0 },
      b && { counts: b, total: this.bigrams.total.get(c1) ?? 0 },
      this.total > 0 ? { counts: this.unigrams, total: this.total } : undefined,
    ];
  }

  /** The bigram table: previous key → continuations (for reports of top transitions). */
  bigramRows(): IterableIterator<[string, Continuations]> {
    return this.bigrams.next.entries();
  }

  /** Every `(c2, c1, next, n)`, in insertion order. */
  *entries(): Generator<[string, string, string, number]> {
    for (const [context, row] of this.trigrams.next) {
      const [c2 = "", c1 = ""] = context.split(SEP);
      for (const [next, n] of row) yield [c2, c1, next, n];
    }
  }
}
