#!/usr/bin/env node
// Entry point of `npx catdata`: loads the TypeScript CLI through tsx's loader (no build step).
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../src/cli/main.ts");
process.exitCode = await runCli(process.argv.slice(2));
