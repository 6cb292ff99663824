import { PassThrough } from "node:stream";
import { Command } from "commander";
import type { CliContext, GetContext } from "../cli/context.js";
import type { Config } from "../config/config.js";
import { silentLogger } from "../log/logger.js";

/**
 * Test helper: a `catdata` program with the given command groups registered, whose output is
 * captured. `run("query", "SELECT 1")` parses like the real CLI; `text.out` / `text.err` collect output.
 */
export function cliHarness(
  config: Config,
  register: (program: Command, getContext: GetContext) => void,
  options: { interactive?: boolean } = {},
) {
  const text = { out: "", err: "" };
  const out = new PassThrough().on("data", (c: Buffer) => {
    text.out += c.toString();
  });
  const err = new PassThrough().on("data", (c: Buffer) => {
    text.err += c.toString();
  });
  const context: CliContext = { config, logger: silentLogger, out, err, interactive: options.interactive ?? false };
  const program = new Command("catdata").exitOverride();
  register(program, () => context);
  return { run: (...args: string[]) => program.parseAsync(args, { from: "user" }), text, context };
}
