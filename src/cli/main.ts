import { Command, CommanderError } from "commander";
import { CatdataError } from "../errors.js";
import { VERSION } from "../version.js";
import { registerCommands } from "./commands/index.js";
import { type CliContext, CliError, createCliContext } from "./context.js";

/**
 * `catdata`: the command line for batch work. Each command lives in `./commands/<name>.ts` and is
 * registered in `./commands/index.ts`.
 */
export function buildProgram(getContext: () => CliContext): Command {
  const program = new Command("catdata")
    .description(
      "Municipal cat-data platform and CloudTrail behaviour intelligence.\n" +
        "Data lives under $CATDATA_HOME (default ./.catdata); see .env.example for every setting.",
    )
    .version(VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerCommands(program, getContext);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  let context: CliContext | undefined;
  const getContext = () => {
    context ??= createCliContext();
    return context;
  };
  try {
    await buildProgram(getContext).parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      process.stderr.write(`catdata: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof CatdataError) {
      process.stderr.write(`catdata: ${error.message}\n${error.hint ? `  → ${error.hint}\n` : ""}`);
      return 1;
    }
    throw error;
  }
}
