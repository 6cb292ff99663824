/**
 * Lone UTF-16 surrogates: JSON may escape any code unit (`"\ud800"`), so a record's strings can
 * hold halves of a pair that no UTF-8 text (Parquet, DuckDB, HTTP) can carry; the lake would store
 * U+FFFD in their place without a word. The normaliser replaces them itself and says so in the
 * event's `parseProblems`, so the event in memory and the row in the lake agree. `raw` needs
 * nothing: `JSON.stringify` writes lone surrogates as `\ud800` escapes.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export const REPLACEMENT_CHARACTER = "\ufffd";

export const hasLoneSurrogate = (text: string): boolean => {
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(text);
};

/** `text` with every lone surrogate replaced by U+FFFD (what `String.prototype.toWellFormed` does). */
export const wellFormed = (text: string): string => text.replace(LONE_SURROGATE, REPLACEMENT_CHARACTER);

/**
 * Replaces lone surrogates in the string fields of `fields` (and in string arrays and arrays of
 * flat objects one level down) in place; returns the names of the fields it changed.
 */
export function replaceLoneSurrogates(fields: Record<string, unknown>, skip: readonly string[] = []): string[] {
  const changed: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (skip.includes(key)) continue;
    if (typeof value === "string") {
      if (hasLoneSurrogate(value)) {
        fields[key] = wellFormed(value);
        changed.push(key);
      }
    } else if (Array.isArray(value)) {
      let touched = false;
      const next = value.map((item) => {
        if (typeof item === "string" && hasLoneSurrogate(item)) {
          touched = true;
          return wellFormed(item);
        }
        if (typeof item === "object" && item !== null && !Array.isArray(item)) {
          const copy = { ...(item as Record<string, unknown>) };
          if (replaceLoneSurrogates(copy).length > 0) {
            touched = true;
            return copy;
          }
        }
        return item;
      });
      if (touched) {
        fields[key] = next;
        changed.push(key);
      }
    }
  }
  return changed;
}
