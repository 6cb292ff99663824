/**
 * Pins the CLI's start-up: `--help` lists every command of the command table without importing any
 * command module, a command imports only its own group; the table's names, help terms and
 * summaries are what the modules really register; `node bin/catdata.js --help` (the cached light
 * bundle) prints the same help, its bundle holds only the CLI's entry files and commander, and
 * `--version` prints the version; a command through bin still runs from the TypeScript sources.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { Command, Help } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { VERSION } from "../version.js";
import { COMMAND_GROUPS, registerCommands } from "./commands/index.js";
import type { GetContext } from "./context.js";
import { buildProgram, commandName } from "./main.js";

const run = promisify(execFile);
const bin = path.resolve("bin/catdata.js");
const noContext: GetContext = () => {
  throw new Error("no command should run");
};
const allCommands = COMMAND_GROUPS.flatMap((group) => group.commands);

describe("the command table", () => {
  afterEach(() => vi.restoreAllMocks());

  it("lists every command in --help and imports no command module", async () => {
    const loads = COMMAND_GROUPS.map((group) => vi.spyOn(group, "load"));
    const help = (await buildProgram(noContext, ["--help"])).helpInformation();
    for (const command of allCommands) expect(help).toContain(command.term);
    expect(help).toContain("help [command]");
    for (const load of loads) expect(load).not.toHaveBeenCalled();
  });

  it("imports only the group of the command that runs, `help <command>` included", async () => {
    const trail = COMMAND_GROUPS.find((group) => group.commands.some((c) => c.name === "trail"));
    const loads = COMMAND_GROUPS.map((group) => [group, vi.spyOn(group, "load")] as const);
    const program = await buildProgram(noContext, ["help", "trail"]);
    for (const [group, load] of loads) expect(load).toHaveBeenCalledTimes(group === trail ? 1 : 0);
    const subcommands = program.commands.find((c) => c.name() === "trail")?.commands.map((c) => c.name());
    expect(subcommands).toEqual(expect.arrayContaining(["load", "verify", "lookup", "train", "predict", "report"]));
    expect(commandName(["--version"])).toBeUndefined();
    expect(commandName(["ingest", "--json", "a.csv"])).toBe("ingest");
  });

  it("matches what each module really registers: names, help terms and summaries, in order", async () => {
    const program = new Command("catdata");
    await registerCommands(program, noContext);
    const help = new Help();
    const real = program.commands.map((c) => ({
      name: c.name(),
      term: help.subcommandTerm(c),
      summary: c.description(),
    }));
    expect(real).toEqual(allCommands);
  });
});

describe("bin/catdata.js", () => {
  it("prints the same help as the program, from a bundle of the CLI's entry files only", async () => {
    const { stdout } = await run(process.execPath, [bin, "--help"]);
    const program = await buildProgram(noContext, ["--help"]);
    expect(stdout).toBe(program.helpInformation());
    for (const command of allCommands) expect(stdout).toContain(command.name);
    const manifest = JSON.parse(readFileSync("node_modules/.cache/catdata-cli/manifest.json", "utf8")) as {
      inputs: Record<string, string>;
      imports: string[];
    };
    expect(Object.keys(manifest.inputs).sort()).toEqual([
      "src/cli/cli-error.ts",
      "src/cli/commands/index.ts",
      "src/cli/main.ts",
      "src/errors.ts",
      "src/version.ts",
    ]);
    // Packages the bundle imports when it starts; command modules are file URLs imported on demand.
    expect(manifest.imports.filter((i) => !i.startsWith("file:"))).toEqual(["commander"]);
  });

  it("prints the version, and still runs a command from the TypeScript sources", async () => {
    expect((await run(process.execPath, [bin, "--version"])).stdout).toBe(`${VERSION}\n`);
    const { stdout } = await run(process.execPath, [bin, "trail", "--help"]);
    expect(stdout).toMatch(/^Usage: catdata trail \[options\] \[command\]/);
    expect(stdout).toContain("anomalies");
  }, 60_000);
});
