/**
 * Defensive readers for untrusted JSON: each returns a value of the asked type or `undefined`,
 * never throws. Used everywhere a CloudTrail field is read, since any field may be missing,
 * null, or of the wrong type in real files.
 */
export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const objectAt = (value: unknown, key: string): JsonObject | undefined => {
  if (!isObject(value)) return undefined;
  const inner = value[key];
  return isObject(inner) ? inner : undefined;
};

/** A non-empty string, or a finite number/boolean turned into one; otherwise undefined. */
export const stringAt = (value: unknown, key: string): string | undefined => {
  if (!isObject(value)) return undefined;
  const inner = value[key];
  if (typeof inner === "string") return inner.length > 0 ? inner : undefined;
  if (typeof inner === "number" && Number.isFinite(inner)) return String(inner);
  if (typeof inner === "boolean") return String(inner);
  return undefined;
};

/** A boolean, also from the strings "true"/"false" (any case). */
export const booleanAt = (value: unknown, key: string): boolean | undefined => {
  if (!isObject(value)) return undefined;
  const inner = value[key];
  if (typeof inner === "boolean") return inner;
  if (typeof inner === "string") {
    const lower = inner.trim().toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
  }
  return undefined;
};

export const arrayAt = (value: unknown, key: string): unknown[] | undefined => {
  if (!isObject(value)) return undefined;
  const inner = value[key];
  return Array.isArray(inner) ? inner : undefined;
};
