import type { Command } from "commander";
import { createSavedQueries } from "../../runtime.js";
import type { GetContext } from "../context.js";
import { table } from "../format.js";
import { printRun, type RunFlags, runInRuntime, runSettings, withRunOptions } from "./query.js";

/** `catdata queries list|run <name>|delete <name>`: saved named queries (save with `query --save`). */
export function registerQueriesCommands(program: Command, getContext: GetContext): void {
  const queries = program.command("queries").description("saved named queries (save one with `catdata query --save`)");

  queries
    .command("list")
    .description("list the saved queries")
    .option("--json", "print as JSON")
    .action(async (opts: { json?: boolean }) => {
      const ctx = getContext();
      const list = await createSavedQueries(ctx.config).list();
      if (opts.json) return void ctx.out.write(`${JSON.stringify(list, null, 2)}\n`);
      if (list.length === 0) return void ctx.out.write("no saved queries (save one with `catdata query --save`)\n");
      ctx.out.write(
        table(
          list.map((q) => ({
            name: q.name,
            description: q.description,
            sql: q.sql.replace(/\s+/g, " "),
            "created by": q.createdBy,
            created: q.createdAt,
          })),
        ),
      );
    });

  withRunOptions(queries.command("run").description("run a saved query").argument("<name>", "its name")).action(
    async (name: string, opts: RunFlags) => {
      const ctx = getContext();
      const settings = runSettings(opts);
      const saved = await createSavedQueries(ctx.config).get(name);
      printRun(ctx, await runInRuntime(ctx, saved.sql, settings), settings);
    },
  );

  queries
    .command("delete")
    .description("delete a saved query")
    .argument("<name>", "its name")
    .action(async (name: string) => {
      const ctx = getContext();
      await createSavedQueries(ctx.config).delete(name);
      ctx.out.write(`deleted ${name}\n`);
    });
}
