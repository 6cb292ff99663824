import type { Command } from "commander";
import type { GetContext } from "../context.js";

/** Registers every CLI command. One file per command group beside this one. */
export function registerCommands(program: Command, getContext: GetContext): void {
  void program;
  void getContext;
}
