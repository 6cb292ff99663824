/**
 * The crawler's type inference (the Glue crawler role): from sample values of a column, the
 * narrowest of boolean, integer, double, date, timestamp, else string ("empty" if no values).
 */
export type InferredType = "empty" | "boolean" | "integer" | "double" | "date" | "timestamp" | "string";

const TESTS: [InferredType, RegExp][] = [
  ["boolean", /^(true|false|yes|no|0|1|はい|いいえ)$/i],
  ["integer", /^-?\d{1,15}$/],
  ["double", /^-?(\d+\.\d*|\.\d+|\d+)(e-?\d+)?$/i],
  ["date", /^(\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?|\d{1,2}\/\d{1,2}\/\d{4})$/],
  [
    "timestamp",
    /^(\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}\/\d{1,2}\/\d{4})[ T]\d{1,2}:\d{2}(:\d{2})?(\.\d+)?\s*([AP]M|Z|[+-]\d{2}:?\d{2})?$/i,
  ],
];

export function inferType(values: Iterable<string>): InferredType {
  const candidates = new Set<InferredType>(TESTS.map(([t]) => t));
  let seen = false;
  for (const raw of values) {
    const v = raw.trim();
    if (v === "") continue;
    seen = true;
    for (const [type, re] of TESTS) if (!re.test(v)) candidates.delete(type);
    if (candidates.size === 0) return "string";
  }
  if (!seen) return "empty";
  for (const [type] of TESTS) if (candidates.has(type)) return type;
  return "string";
}

/** Collects up to `limit` sample values per column while rows stream past. */
/** Rows a TypeSampler looks at: the first ones of a table. */
export const TYPE_SAMPLE_ROWS = 500;

export class TypeSampler {
  private readonly samples = new Map<string, string[]>();
  private rows = 0;
  constructor(private readonly limit = TYPE_SAMPLE_ROWS) {}

  add(values: Record<string, string>): void {
    if (this.rows++ >= this.limit) return;
    for (const [k, v] of Object.entries(values)) {
      const list = this.samples.get(k) ?? [];
      if (list.length < this.limit) list.push(v);
      this.samples.set(k, list);
    }
  }

  types(): Record<string, InferredType> {
    return Object.fromEntries([...this.samples].map(([k, v]) => [k, inferType(v)]));
  }
}
