import type { ApiCall } from "./record.js";

/**
 * Reading the bodies a call left behind, for its record, off the request path: the JSON request
 * body the handler already read, a small JSON response (a larger one is not read twice), never
 * waiting long on either; and who a sign-in response signed in.
 */
export const parseJson = (text: string): unknown => (text.trim() === "" ? undefined : JSON.parse(text));

const MAX_RESPONSE_BYTES = 64 * 1024;
const BODY_WAIT_MS = 5_000;

/** A body that never completes (a stalled client) must not hold back the records after it. */
export async function within(work: Promise<unknown> | undefined): Promise<unknown> {
  if (work === undefined) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, BODY_WAIT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A response's JSON when it is small (a summary needs no more); a query's large result is not read twice. */
export async function smallJson(res: Response): Promise<unknown> {
  const reader = res.body?.getReader();
  if (!reader) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      size += part.value.byteLength;
      if (size > MAX_RESPONSE_BYTES) {
        // Not awaited: a tee'd branch's cancel settles only once the other branch is done too.
        reader.cancel().catch(() => undefined);
        return undefined;
      }
      chunks.push(part.value);
    }
    return parseJson(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return undefined;
  }
}

/** A sign-in call's response carries the ID token: the call is attributed to the user it signed in. */
export function signedInBy(response: unknown): ApiCall["user"] {
  const token = (response as { idToken?: unknown } | undefined)?.idToken;
  if (typeof token !== "string") return undefined;
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
    const sub = payload.sub;
    const username = payload["cognito:username"];
    return typeof sub === "string" && typeof username === "string" ? { sub, username } : undefined;
  } catch {
    return undefined;
  }
}
