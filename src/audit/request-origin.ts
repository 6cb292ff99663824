import type { Context } from "hono";
import type { TlsDetails } from "./record.js";

/**
 * Where a call came from, for `sourceIPAddress` and `tlsDetails`: the `clientIp` the API's
 * protection middleware set, else the Node socket (`@hono/node-server`), the API Gateway request
 * context (Lambda adapter), or — only when trusted — the last X-Forwarded-For entry (the address the
 * trusted proxy saw; earlier entries are the client's to forge). In-process calls (`app.request()`)
 * have none of these: `sourceIPAddress` is "unknown".
 */
interface SocketLike {
  remoteAddress?: string;
  encrypted?: boolean;
  getProtocol?: () => string | null;
  getCipher?: () => { name?: string; standardName?: string } | undefined;
}

interface RequestContextLike {
  http?: { sourceIp?: string };
  identity?: { sourceIp?: string };
}

interface EnvLike {
  incoming?: { socket?: SocketLike };
  server?: { incoming?: { socket?: SocketLike } };
  requestContext?: RequestContextLike;
  event?: { requestContext?: RequestContextLike };
}

/** `::ffff:127.0.0.1` → `127.0.0.1`, as CloudTrail records IPv4 callers. */
const plainIp = (ip: string) => ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, "$1");

export function connectionOf(
  c: Context,
  trustForwardedFor: boolean,
): { sourceIp: string; tls: TlsDetails | undefined } {
  const env = (c.env ?? {}) as EnvLike;
  const socket = env.incoming?.socket ?? env.server?.incoming?.socket;
  const context = env.requestContext ?? env.event?.requestContext;
  const known = (c.var as { clientIp?: unknown }).clientIp;
  const forwarded = trustForwardedFor ? c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim() : undefined;
  const ip =
    (typeof known === "string" && known !== "unknown" ? known : undefined) ||
    forwarded ||
    socket?.remoteAddress ||
    context?.http?.sourceIp ||
    context?.identity?.sourceIp ||
    "unknown";
  const https = socket?.encrypted === true || c.req.url.startsWith("https:");
  const cipher = socket?.getCipher?.();
  const tls = https
    ? {
        tlsVersion: socket?.getProtocol?.() ?? "unknown",
        cipherSuite: cipher?.standardName ?? cipher?.name ?? "unknown",
        clientProvidedHostHeader: c.req.header("host") ?? new URL(c.req.url).host,
      }
    : undefined;
  return { sourceIp: plainIp(ip), tls };
}
