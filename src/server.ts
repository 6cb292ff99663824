import { loadConfig } from "./config/config.js";
import { CatdataError } from "./errors.js";
import { createLogger } from "./log/logger.js";
import { startPlatform } from "./server/start-platform.js";

/**
 * `npm start`: the whole platform on one machine, on embedded defaults, bound to 127.0.0.1:
 * web app + API + MCP on CATDATA_PORT (8501), health check and /metrics on CATDATA_HEALTH_PORT (8080);
 * every API call goes to the audit trail, which is delivered (and digested) once more at shutdown.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const platform = await startPlatform(config, logger);
  const { url, seeded } = platform;
  const lines = [
    "",
    "  catdata is running",
    `  ▸ web app and API   ${url}  (API under ${url}api, MCP at ${url}mcp)`,
    `  ▸ API reference     ${url}api/docs`,
    `  ▸ health check      ${platform.healthUrl}healthcheck  (metrics: ${platform.healthUrl}metrics)`,
    `  ▸ data directory    ${config.dataDirectory}`,
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
    platform.close().then(() => {
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
