import { type ServerType, serve } from "@hono/node-server";
import type { ApiDeps } from "../api/context.js";
import { FileSpool } from "../audit/file-spool.js";
import { openAuditTrail } from "../audit/open-audit-trail.js";
import { createVerifier, TokenIssuer } from "../auth/tokens.js";
import type { Config } from "../config/config.js";
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
 */
export interface RunningPlatform {
  url: string;
  healthUrl: string;
  deps: ApiDeps;
  seeded: SeedResult;
  close(): Promise<void>;
}

export async function startPlatform(config: Config, logger: Logger): Promise<RunningPlatform> {
  const runtime = await openRuntime(config, logger);
  const { users } = runtime;
  const issuer = `http://${config.host}:${config.port}/api`;
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
  const verify = createVerifier(() => tokens.jwks(), issuer, { clientId: tokens.clientId, clock: runtime.now });
  const deps: ApiDeps = { runtime, users, tokens, verify, audit, metrics };

  const seeded = await ensureDemo(runtime, users, { demoData: config.demo });
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
