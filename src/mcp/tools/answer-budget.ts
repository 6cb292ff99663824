/**
 * How much one tool answer may hold by default: an LLM reads every byte of it into its context, so
 * a default answer stays under DEFAULT_ANSWER_BYTES (~2k tokens) and says how to get more (a
 * `nextToken`, a smaller window, raw events on request). A caller may ask for up to MAX_ANSWER_BYTES.
 */
export const DEFAULT_ANSWER_BYTES = 8 * 1024;
export const MAX_ANSWER_BYTES = 64 * 1024;

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value), "utf8");

export interface Fitted<T> {
  items: T[];
  /** How many of the offered items did not fit (0 when all did). */
  cut: number;
}

/**
 * The longest prefix of `items` such that `wrap(prefix)` serialises to at most `budget` bytes (at
 * least none: an envelope alone over budget gives []). Binary search over the prefix length, so a
 * long list costs O(log n) serialisations.
 */
export function fitToBudget<T>(
  items: readonly T[],
  wrap: (items: T[]) => unknown,
  budget = DEFAULT_ANSWER_BYTES,
): Fitted<T> {
  if (bytesOf(wrap([...items])) <= budget) return { items: [...items], cut: 0 };
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (bytesOf(wrap(items.slice(0, mid))) <= budget) lo = mid;
    else hi = mid - 1;
  }
  return { items: items.slice(0, lo), cut: items.length - lo };
}
