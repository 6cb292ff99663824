import { serve } from "@hono/node-server";
import { createVerifier, TokenIssuer } from "./auth/tokens.js";
import { LocalUserPool } from "./auth/user-pool.js";
import { loadConfig } from "./config/config.js";
import { CatdataError } from "./errors.js";
import { createLogger } from "./log/logger.js";
import { openRuntime } from "./runtime.js";
import { ensureDemo } from "./server/demo-seed.js";
import { createHealthApp } from "./server/health.js";
import { createPlatformApp } from "./server/platform-app.js";

/**
 * `npm start`: the whole platform on one machine, on embedded defaults, bound to 127.0.0.1:
 * web app + API + MCP on CATDATA_PORT (8501), health check on CATDATA_HEALTH_PORT (8080).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const runtime = await openRuntime(config, logger);
  const users = new LocalUserPool(config.home);
  const issuer = `http://${config.host}:${config.port}/api`;
  const tokens = await TokenIssuer.open(config.home, issuer);
  const deps = { runtime, users, tokens, verify: createVerifier(() => tokens.jwks(), issuer) };

  const seeded = await ensureDemo(runtime, users, { demoData: config.demo });
  const main = serve({ fetch: createPlatformApp(deps).fetch, hostname: config.host, port: config.port });
  const health = serve({ fetch: createHealthApp(runtime).fetch, hostname: config.host, port: config.healthPort });
  await Promise.all(
    [main, health].map((s) => new Promise((resolve, reject) => s.once("listening", resolve).once("error", reject))),
  );

  const url = `http://${config.host}:${config.port}/`;
  const lines = [
    "",
    "  catdata is running",
    `  ▸ web app and API   ${url}  (API under ${url}api, MCP at ${url}mcp)`,
    `  ▸ health check      http://${config.host}:${config.healthPort}/healthcheck`,
    `  ▸ data directory    ${config.home}`,
  ];
  if (seeded.adminPassword) {
    lines.push(
      "",
      `  Demo admin user created — sign in as "${seeded.adminUsername}" with password:`,
      `      ${seeded.adminPassword}`,
      "  (shown this once; change it with `npx catdata users passwd admin`)",
    );
  }
  if (seeded.jobs > 0) lines.push(`  Demo data loaded: ${seeded.jobs} files, ${seeded.records} records.`);
  lines.push("", "  Press Ctrl-C to stop.", "");
  process.stdout.write(`${lines.join("\n")}\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    Promise.all([main, health].map((s) => new Promise((resolve) => s.close(resolve))))
      .then(() => runtime.close())
      .then(() => {
        logger.info("stopped");
        process.exit(0);
      });
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof CatdataError) {
    process.stderr.write(`catdata: ${error.message}\n${error.hint ? `  → ${error.hint}\n` : ""}`);
  } else if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
    process.stderr.write(
      `catdata: ${(error as Error).message}\n  → another catdata (or program) uses the port; set CATDATA_PORT / CATDATA_HEALTH_PORT\n`,
    );
  } else {
    process.stderr.write(`catdata: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
