import { createMiddleware } from "hono/factory";
import { ipRestriction } from "hono/ip-restriction";
import { CatdataError } from "../../errors.js";
import type { ApiEnv } from "../context.js";

/**
 * The optional source-IP allow-list (the WAF's IP set, e.g. the design's home IP `203.0.113.100/32`):
 * with a non-empty list, a caller whose address matches none of the addresses/CIDRs is refused (403),
 * and so is a caller whose address is unknown. An empty list lets everyone through.
 */
export function ipAllowList(allowed: readonly string[]) {
  if (allowed.length === 0) return createMiddleware<ApiEnv>((_c, next) => next());
  const refuse = (address: string) =>
    new CatdataError("FORBIDDEN", `requests from ${address} are not allowed`, {
      hint: "call from an allowed network (CATDATA_ALLOWED_IPS), or ask an administrator to add yours",
    });
  const restriction = ipRestriction(
    (c) => c.get("clientIp") ?? "",
    { allowList: [...allowed] },
    (remote) => {
      throw refuse(remote.addr);
    },
  );
  return createMiddleware<ApiEnv>(async (c, next) => {
    const address = c.get("clientIp");
    if (!address || address === "unknown") throw refuse("an unknown address");
    try {
      return await restriction(c, next);
    } catch (error) {
      // hono's own 403 (an address it cannot parse) becomes ours, with the error shape.
      if (error instanceof CatdataError) throw error;
      if ((error as { status?: number }).status === 403) throw refuse(address);
      throw error;
    }
  });
}
