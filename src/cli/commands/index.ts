import type { Command } from "commander";
import type { GetContext } from "../context.js";
import { registerAuditCommands } from "./audit.js";
import { registerBehaviourCommands } from "./behaviour.js";
import { registerIngestCommands } from "./ingest.js";
import { registerMartsCommands } from "./marts.js";
import { registerQueriesCommands } from "./queries.js";
import { registerQueryCommand } from "./query.js";
import { registerStoreCommands } from "./store.js";
import { registerSuggestCommand } from "./suggest.js";
import { registerMcpCommand, registerTrailCommands } from "./trail.js";
import { registerUsersCommands } from "./users.js";

/** Registers every CLI command. One file per command group beside this one. */
export function registerCommands(program: Command, getContext: GetContext): void {
  registerIngestCommands(program, getContext);
  registerQueryCommand(program, getContext);
  registerQueriesCommands(program, getContext);
  registerMartsCommands(program, getContext);
  registerStoreCommands(program, getContext);
  registerUsersCommands(program, getContext);
  registerTrailCommands(program, getContext);
  const trail = program.commands.find((c) => c.name() === "trail");
  if (trail) registerBehaviourCommands(trail, getContext);
  registerMcpCommand(program, getContext);
  registerAuditCommands(program, getContext);
  registerSuggestCommand(program, getContext);
}
