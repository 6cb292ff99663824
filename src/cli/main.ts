import { Command, CommanderError } from "commander";
import { CatdataError } from "../errors.js";
import { VERSION } from "../version.js";
import { CliError } from "./cli-error.js";
import { groupOf, registerCommands } from "./commands/index.js";
import type { CliContext, GetContext } from "./context.js";

/**
 * `catdata`: the command line for batch work. Each command lives in `./commands/<name>.ts` and is
 * listed in the command table `./commands/index.ts`. Start-up stays light: only the module of the
 * command being run is imported (`--help` and `--version` import none), and the configuration is
 * read only when a command asks for its context.
 */
export async function buildProgram(getContext: GetContext, argv?: readonly string[]): Promise<Command> {
  const program = new Command("catdata")
    .description(
      "Municipal cat-data platform and CloudTrail behaviour intelligence.\n" +
        "Data lives under $CATDATA_HOME (default ./.catdata); see .env.example for every setting.",
    )
    .version(VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  const name = argv === undefined ? undefined : commandName(argv);
  const group = name === undefined ? undefined : groupOf(name);
  await registerCommands(program, getContext, argv === undefined ? undefined : group ? [group] : []);
  return program;
}

/** The command `argv` runs (`catdata help <command>` included), or undefined for root options. */
export function commandName(argv: readonly string[]): string | undefined {
  const words = argv.filter((arg) => !arg.startsWith("-"));
  return words[0] === "help" ? words[1] : words[0];
}

/**
 * `catdata quarantine <job> | head`: the reader closed the pipe, which is not a failure of the
 * command. The process exits 0 at once and quietly (no EPIPE stack trace, nothing more to write).
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream = process.stdout, exit = process.exit) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") exit(0);
    throw error;
  });
}

export async function runCli(argv: string[]): Promise<number> {
  exitQuietlyOnClosedPipe();
  let getContext: GetContext = () => {
    throw new Error("the CLI context is read only by commands");
  };
  try {
    if (commandName(argv) !== undefined) {
      const { createCliContext } = await import("./context.js");
      let context: CliContext | undefined;
      getContext = () => {
        context ??= createCliContext();
        return context;
      };
    }
    await (await buildProgram(() => getContext(), argv)).parseAsync(argv, { from: "user" });
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
