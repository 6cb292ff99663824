import { HIDDEN } from "./record.js";

/**
 * Secrets out of `requestParameters` / `responseElements`, as CloudTrail does: the value of any field
 * that names a credential (password, token, secret, authorization, cookie, credential, and any other
 * "…key" such as apiKey, privateKey, secretAccessKey) becomes `HIDDEN_DUE_TO_SECURITY_REASONS`, at any
 * depth. Object keys are not secrets and investigators need them: the fields in `OBJECT_KEY_FIELDS`
 * (an upload's S3 `key`, `s3Key`, `objectKey`…) are kept. Also bounds the size: long strings are cut,
 * deep or wide values summarised, so one request cannot blow up a log file.
 */
export const SECRET_FIELD = /pass|secret|token|key|authori[sz]ation|cookie|credential/i;

/** Field names that hold an object's key in a store (S3 object keys, upload keys): kept, not hidden. */
export const OBJECT_KEY_FIELDS: ReadonlySet<string> = new Set([
  "key",
  "keys",
  "s3key",
  "s3object",
  "objectkey",
  "objectkeys",
  "uploadkey",
  "rawkey",
  "sourcekey",
]);

/** Whether a field's value is hidden: it names a credential, and it is not an object key. */
export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name) && !OBJECT_KEY_FIELDS.has(name.replace(/[-_]/g, "").toLowerCase());
}

const MAX_STRING = 1024;
const MAX_KEYS = 50;
const MAX_ITEMS = 50;
const MAX_DEPTH = 5;

export function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === "boolean" || typeof value === "number") return value;
  if (typeof value === "string") {
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…(${value.length} characters)` : value;
  }
  if (depth >= MAX_DEPTH) return "…(nested too deep)";
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => redact(item, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `…(${value.length - MAX_ITEMS} more)`] : items;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    const out: Record<string, unknown> = {};
    for (const [key, item] of entries.slice(0, MAX_KEYS)) {
      out[key] = isSecretField(key) ? HIDDEN : redact(item, depth + 1);
    }
    if (entries.length > MAX_KEYS) out["…"] = `${entries.length - MAX_KEYS} more fields`;
    return out;
  }
  return undefined;
}

/** A redacted copy of an object of parameters, or null when there are none. */
export function redactParameters(...sources: unknown[]): Record<string, unknown> | null {
  const merged: Record<string, unknown> = {};
  for (const source of sources) {
    if (source && typeof source === "object" && !Array.isArray(source)) Object.assign(merged, source);
  }
  if (Object.keys(merged).length === 0) return null;
  return redact(merged) as Record<string, unknown>;
}

/**
 * `responseElements` of a successful write: its top-level scalar fields and small objects of
 * scalars (ids, status, counts), secrets hidden, arrays and large values left out.
 */
export function summariseResponse(body: unknown): Record<string, unknown> | null {
  if (!body || typeof body !== "object" || Array.isArray(body)) return null;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>).slice(0, MAX_KEYS)) {
    if (isSecretField(key)) out[key] = HIDDEN;
    else if (value === null || ["string", "number", "boolean"].includes(typeof value)) out[key] = redact(value);
    else if (isSmallFlatObject(value)) out[key] = redact(value);
  }
  return Object.keys(out).length > 0 ? out : null;
}

const isSmallFlatObject = (value: unknown) =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  Object.keys(value).length <= 10 &&
  Object.values(value).every((v) => v === null || typeof v !== "object");
