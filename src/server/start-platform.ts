import { type NetworkInterfaceInfo, networkInterfaces } from "node:os";
import { type ServerType, serve } from "@hono/node-server";
import type { JSONWebKeySet } from "jose";
import type { ApiDeps } from "../api/context.js";
import { FileSpool } from "../audit/file-spool.js";
import { openAuditTrail } from "../audit/open-audit-trail.js";
import { createVerifier, TokenIssuer } from "../auth/tokens.js";
import type { Config } from "../config/config.js";
import { CatdataError } from "../errors.js";
import { DataDir } from "../local/data-dir.js";
import type { Logger } from "../log/logger.js";
import { openRuntime } from "../runtime.js";
import { ensureDemo, type SeedResult } from "./demo-seed.js";
import { createHealthApp } from "./health.js";
import { createPlatformMetrics } from "./metrics/platform-metrics.js";
import { createPlatformApp } from "./platform-app.js";

/**
 * The whole platform in this process, as `npm start` runs it (and the API load benchmark measures
 * it): runtime, user pool and tokens, the audit trail, metrics, the demo seed, and the two servers
 * — web app + API + MCP on `config.port`, health and /metrics on `config.healthPort` — bound to
 * `config.host`. `close()` stops the servers, delivers the trail's last records and closes the runtime.
 *
 * With a Cognito pool configured (CATDATA_USER_POOL_ID, as the Fargate task is), sign-in is Cognito's:
 * tokens are verified against the pool's JWKS, and no local admin is created (so no password is ever
 * printed). Bound to all interfaces (0.0.0.0 or ::, as in the task), the server also answers to its own
 * addresses: a load balancer's health check names the target's IP, and an IP literal is no DNS-rebinding vector.
 */
export interface RunningPlatform {
  url: string;
  healthUrl: string;
  deps: ApiDeps;
  seeded: SeedResult;
  close(): Promise<void>;
}

export interface StartPlatformOptions {
  /** Reads the Cognito pool's JWKS once at start (default: an HTTPS GET of its well-known URL). */
  fetchJwks?: (url: string) => Promise<JSONWebKeySet>;
  /** This machine's network interfaces (default `os.networkInterfaces`). */
  networkInterfaces?: () => NodeJS.Dict<NetworkInterfaceInfo[]>;
}

/** How long the start waits for the Cognito JWKS before failing (a task that cannot verify tokens must not serve). */
export const JWKS_TIMEOUT_MS = 5000;

export const cognitoIssuer = (region: string, userPoolId: string) =>
  `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;

/**
 * The addresses a server bound to all interfaces is reached at besides loopback (IPv6 in brackets, as in a Host
 * header); none for a specific bind address. Loopback and link-local addresses with a zone are left out.
 */
export function ownAddresses(boundHost: string, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string[] {
  if (boundHost !== "0.0.0.0" && boundHost !== "::") return [];
  return Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => !i.internal && !i.address.includes("%"))
    .map((i) => (i.family === "IPv6" ? `[${i.address.toLowerCase()}]` : i.address));
}

/** The configuration with `hosts` added to the names the host check accepts. */
const answeringTo = (config: Config, hosts: string[]): Config =>
  hosts.length === 0
    ? config
    : { ...config, protection: { ...config.protection, allowedHosts: [...config.protection.allowedHosts, ...hosts] } };

export async function startPlatform(
  given: Config,
  logger: Logger,
  options: StartPlatformOptions = {},
): Promise<RunningPlatform> {
  const config = answeringTo(given, ownAddresses(given.host, (options.networkInterfaces ?? networkInterfaces)()));
  const runtime = await openRuntime(config, logger);
  const { users } = runtime;
  const { userPoolId, clientId } = config.cognito;
  const issuer = userPoolId ? cognitoIssuer(config.region, userPoolId) : `http://${config.host}:${config.port}/api`;
  const tokens = await TokenIssuer.open(runtime.keys, issuer, { clock: runtime.now });
  const metrics = createPlatformMetrics(runtime);
  const audit = await openAuditTrail({
    store: runtime.store,
    keys: runtime.keys,
    now: runtime.now,
    accountId: config.accountId,
    region: config.region,
    basePath: "/api",
    // Records are on disk before their response is sent; a restart delivers what a kill left.
    spool: await FileSpool.open(new DataDir(config.dataDirectory).auditSpool, { logger }),
    logger,
  });
  metrics.watchTrail(() => audit.stats());
  // With Cognito the local pool stays empty (its /auth/login refuses everyone) and only the pool's tokens verify.
  const verify = userPoolId
    ? createVerifier(await (options.fetchJwks ?? fetchCognitoJwks)(`${issuer}/.well-known/jwks.json`), issuer, {
        clock: runtime.now,
        ...(clientId ? { clientId } : {}),
      })
    : createVerifier(() => tokens.jwks(), issuer, { clientId: tokens.clientId, clock: runtime.now });
  const deps: ApiDeps = { runtime, users, tokens, verify, audit, metrics };

  const seeded = await ensureDemo(runtime, users, { demoData: config.demo, createAdmin: userPoolId === undefined });
  const servers = [
    serve({ fetch: createPlatformApp(deps).fetch, hostname: config.host, port: config.port }),
    serve({
      fetch: createHealthApp(runtime, runtime.now(), metrics).fetch,
      hostname: config.host,
      port: config.healthPort,
    }),
  ];
  await Promise.all(servers.map((s) => listening(s)));
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${config.port}/`,
    healthUrl: `http://${host}:${config.healthPort}/`,
    deps,
    seeded,
    close: async () => {
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
      await audit.close();
      metrics.stop();
      await runtime.close();
    },
  };
}

const listening = (server: ServerType) =>
  new Promise((resolve, reject) => server.once("listening", resolve).once("error", reject));

/** Reads a Cognito pool's JWKS; a refusal or no answer within `timeoutMs` fails the start, saying what to check. */
export async function fetchCognitoJwks(url: string, timeoutMs = JWKS_TIMEOUT_MS): Promise<JSONWebKeySet> {
  const unavailable = (why: string) =>
    new CatdataError("UNAVAILABLE", `cannot read the Cognito JWKS at ${url}: ${why}`, {
      hint: "check CATDATA_USER_POOL_ID and AWS_REGION, and that the task reaches cognito-idp (NAT or endpoint)",
    });
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const timedOut = (error as Error).name === "TimeoutError";
    throw unavailable(timedOut ? `no answer within ${timeoutMs} ms` : (error as Error).message);
  }
  if (!res.ok) throw unavailable(`HTTP ${res.status}`);
  return (await res.json()) as JSONWebKeySet;
}
