import type { Context, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import { CatdataError } from "../errors.js";
import type { Logger } from "../log/logger.js";

/**
 * Against DNS rebinding (a page on evil.example whose name is re-pointed at 127.0.0.1 and then
 * calls the local server as "same origin"): the local server answers only requests whose Host names
 * it — localhost, 127.0.0.1, [::1], the address it is bound to, and CATDATA_ALLOWED_HOSTS (the name a
 * proxy in front of it uses). Ports are not compared: the name is what a rebinding attack changes.
 * Both ports check it (the main port and the health port). Each refusal is logged as a warning
 * and, where an audit trail is given (`around`), recorded there with the refused Host.
 */
export function allowedHostNames(boundHost: string, extra: readonly string[]): Set<string> {
  const names = new Set(["localhost", "127.0.0.1", "[::1]", ...extra.map((h) => h.toLowerCase())]);
  if (boundHost !== "0.0.0.0" && boundHost !== "::") names.add(boundHost.includes(":") ? `[${boundHost}]` : boundHost);
  return names;
}

export function hostNameOf(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  return h.replace(/:\d+$/, "").replace(/\.$/, "");
}

export const hostRefused = (name: string) =>
  new CatdataError("FORBIDDEN", `this server does not answer to the host name ${JSON.stringify(name)}`, {
    hint: "open it at http://127.0.0.1:<port>/ or http://localhost:<port>/, or add the name to CATDATA_ALLOWED_HOSTS",
  });

export interface HostCheckOptions {
  /** Each refusal is logged here as a warning (the refused name, method, path). */
  logger: Logger;
  /** The error response of a refusal (the app's one error shape). */
  respond: (error: CatdataError, c: Context) => Response;
  /** Runs around each refusal, e.g. the audit trail's middleware, so the refusal is recorded. */
  around?: MiddlewareHandler;
}

export function hostCheck(allowed: Set<string>, options: HostCheckOptions) {
  return createMiddleware(async (c, next) => {
    const host = c.req.header("host") ?? new URL(c.req.url).host;
    const name = hostNameOf(host);
    if (allowed.has(name)) return next();
    options.logger.warn(
      { host: name, method: c.req.method, path: c.req.path },
      "refused a request for a host name this server does not answer to (CATDATA_ALLOWED_HOSTS)",
    );
    const error = hostRefused(name);
    const refuse = async () => {
      c.error = error;
      c.res = options.respond(error, c);
    };
    if (options.around) await options.around(c, refuse);
    else await refuse();
    return c.res;
  });
}
