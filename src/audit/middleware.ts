import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { buildRecord } from "./build-record.js";
import { parseJson, signedInBy, smallJson, within } from "./call-bodies.js";
import type { ApiCall } from "./record.js";
import type { AuditRecorder } from "./recorder.js";
import { connectionOf } from "./request-origin.js";

/**
 * `auditTrail(recorder)`: records every call — reads, failures, unauthenticated ones — as one
 * CloudTrail record. Mount it first, so it sees the final status (also when a later middleware or
 * the handler threw: their error response, and the `{error:{code,message}}` in it), the request id,
 * and the user `authenticate` set. The response is held until its record is in the recorder's
 * spool (on disk when the recorder has a file spool), so a crash right after a response loses no
 * record; delivery into the trail happens later, off the request path.
 */
export interface AuditMiddlewareOptions {
  /** Take the caller's IP from X-Forwarded-For's last entry (only behind a proxy you run). */
  trustForwardedFor?: boolean;
  now?: () => Date;
  /**
   * Who called, when no route authenticated the request (an unknown route, a request refused before
   * sign-in was checked): a best-effort check of the presented token, so probes are attributed.
   */
  identify?: (c: Context) => Promise<{ sub: string; username: string } | undefined>;
  /** Put the Host the request named into `requestParameters.host` (for refusals by Host). */
  recordHost?: boolean;
}

const isJson = (contentType: string | null | undefined) => /^application\/json\b/i.test(contentType ?? "");
const isRead = (method: string) => ["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase());

export function auditTrail(recorder: AuditRecorder, options: AuditMiddlewareOptions = {}): MiddlewareHandler {
  const now = options.now ?? (() => new Date());
  return async (c, next) => {
    const time = now();
    let failure: { error: unknown } | undefined;
    try {
      await next();
    } catch (error) {
      failure = { error };
    }
    try {
      await recorder.capture(observe(c, time, failure, options).then((call) => buildRecord(call, recorder.settings)));
    } catch {
      // Auditing never breaks a response; a record that cannot be observed or spooled is logged by capture.
    }
    if (failure) throw failure.error;
  };
}

/** Collects the call: synchronous parts now, bodies (already buffered) awaited. */
function observe(
  c: Context,
  time: Date,
  failure: { error: unknown } | undefined,
  options: AuditMiddlewareOptions,
): Promise<ApiCall> {
  const threw = failure !== undefined;
  const status = threw ? 500 : c.res.status;
  const route = routeOf(c);
  const responseJson = !threw && isJson(c.res.headers.get("content-type"));
  const errorBody = status >= 400 && responseJson ? c.res.clone() : undefined;
  const writeBody = status < 400 && responseJson && !isRead(c.req.method) ? c.res.clone() : undefined;
  const requestText = isJson(c.req.header("content-type"))
    ? (c.req.bodyCache as { text?: Promise<string> }).text
    : undefined;
  // What a later middleware or the handler threw: Hono keeps it in `c.error` after its error handler ran.
  const thrown = ((threw ? failure?.error : c.error) as { auditCode?: unknown } | undefined)?.auditCode;
  const auditCode = typeof thrown === "string" ? thrown : undefined;
  const vars = c.var as Record<string, unknown>;
  const known = vars.user as { sub?: unknown; username?: unknown } | undefined;
  const identified: Promise<{ sub?: unknown; username?: unknown } | undefined> =
    known || !options.identify ? Promise.resolve(known) : options.identify(c).catch(() => undefined);
  const origin = connectionOf(c, options.trustForwardedFor ?? false);
  const queries = c.req.queries();
  const query = Object.fromEntries(
    Object.entries(queries).map(([k, v]) => [k, v.length === 1 ? (v[0] ?? "") : v] as const),
  );
  return (async () => {
    const claims = await identified;
    const [body, errorJson, response] = await Promise.all([
      within(requestText?.then(parseJson).catch(() => undefined)),
      within(errorBody && smallJson(errorBody)),
      within(writeBody && smallJson(writeBody)),
    ]);
    const error = (errorJson as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    return {
      time,
      method: c.req.method,
      routePattern: route.pattern,
      path: c.req.path,
      status,
      query,
      params: route.params,
      body,
      response,
      error:
        status >= 400
          ? {
              code: typeof error?.code === "string" ? error.code : undefined,
              message: typeof error?.message === "string" ? error.message : threw ? "internal error" : undefined,
              ...(auditCode ? { auditCode } : {}),
            }
          : undefined,
      requestId: typeof vars.requestId === "string" ? vars.requestId : "",
      sourceIp: origin.sourceIp,
      userAgent: c.req.header("user-agent") ?? "",
      user:
        typeof claims?.sub === "string" && typeof claims.username === "string"
          ? { sub: claims.sub, username: claims.username }
          : signedInBy(response),
      tls: origin.tls,
      ...(options.recordHost ? { host: c.req.header("host") ?? "" } : {}),
    };
  })();
}

/** The route that handled the request (the last matched one that is not a wildcard middleware), and its params. */
function routeOf(c: Context): { pattern: string | undefined; params: Record<string, string> } {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i -= 1) {
    const route = routes[i];
    if (!route || (route.method === "ALL" && route.path.includes("*"))) continue;
    const saved = c.req.routeIndex;
    c.req.routeIndex = i;
    const params = c.req.param() as Record<string, string>;
    c.req.routeIndex = saved;
    return { pattern: route.path, params };
  }
  return { pattern: undefined, params: {} };
}
