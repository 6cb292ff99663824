import type { Config } from "../config/config.js";
import { loadConfig, readEnv } from "../config/config.js";
import { createLogger, type Logger } from "../log/logger.js";

/**
 * What every CLI command gets: the parsed configuration, a logger (quiet by default: the CLI talks
 * to people through `out`/`err`, logs go to stderr only at warn and above) and the output streams.
 * Commands ask for it lazily, so `catdata --help` works even with a broken configuration.
 */
export interface CliContext {
  config: Config;
  logger: Logger;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** True when stderr is a terminal: progress bars are drawn only then. */
  interactive: boolean;
}

export type GetContext = () => CliContext;

export function createCliContext(): CliContext {
  const config = loadConfig(readEnv(), process.cwd(), { defaultLogLevel: "warn" });
  return {
    config,
    logger: createLogger(config.logLevel, process.stderr as unknown as Parameters<typeof createLogger>[1]),
    out: process.stdout,
    err: process.stderr,
    interactive: Boolean(process.stderr.isTTY),
  };
}

export { CliError } from "./cli-error.js";
