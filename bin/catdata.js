#!/usr/bin/env node
// Entry point of `npx catdata`. A command loads the TypeScript CLI through tsx's loader (no build
// step). `--help`, `--version` and no arguments need no command module: they run from a cached
// bundle of src/cli/main.ts (see light-bundle.js), which starts several times faster than tsx.
import { commandName, loadLightBundle } from "./light-bundle.js";

const argv = process.argv.slice(2);
const light = commandName(argv) === undefined ? await loadLightBundle() : undefined;
if (light) {
  process.exitCode = await light.runCli(argv);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  const { runCli } = await import("../src/cli/main.ts");
  process.exitCode = await runCli(argv);
}
