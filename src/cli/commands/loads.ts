import type { Command } from "commander";
import { type LoadHistory, loadHistory, retractLoad } from "../../etl/loads.js";
import type { GetContext } from "../context.js";
import { table } from "../format.js";
import { withRuntime } from "../with-runtime.js";

/**
 * `catdata loads history | retract <job>`: the loads the lake holds and their corrections
 * (docs/data-model.md, "Corrections"). A retract takes a load's records out in one catalog commit and
 * keeps its parts; `catdata ingest FILE --replaces <job>` replaces a load (and undoes a retract).
 */
function formatHistory(h: LoadHistory): string {
  const loads = h.loads.map((l) => ({
    job: l.jobId,
    state: l.state,
    municipality: l.municipality ?? "",
    mapping: l.mapping ?? "(detected)",
    committed: l.committedAt,
    "replaced by": l.replacedBy ?? "",
    parts: Object.entries(l.parts)
      .map(([d, n]) => `${d} ${n}`)
      .join(", "),
  }));
  const history = h.history.map((e) => ({ at: e.at, action: e.action, job: e.jobId, by: e.by ?? "" }));
  return [
    "loads:",
    loads.length ? table(loads).trimEnd() : "  (none)",
    "corrections:",
    history.length ? table(history).trimEnd() : "  (none)",
  ].join("\n");
}

export function registerLoadsCommands(program: Command, getContext: GetContext): void {
  const loads = program
    .command("loads")
    .description("the loads in the lake and their corrections: history, retract (replace: `ingest --replaces`)");

  loads
    .command("history")
    .description("every committed load (live, replaced, retracted) and every replace and retract")
    .option("-m, --municipality <code>", "only this municipality's loads")
    .option("--json", "print as JSON")
    .action(async (opts: { municipality?: string; json?: boolean }) => {
      const ctx = getContext();
      const history = await withRuntime(ctx, async (r) => loadHistory(await r.lake.readCatalog(), opts.municipality));
      ctx.out.write(opts.json ? `${JSON.stringify(history, null, 2)}\n` : `${formatHistory(history)}\n`);
    });

  loads
    .command("retract")
    .description("take a load's records out of the lake in one commit (its parts are kept; undo: ingest --replaces)")
    .argument("<job>", "the job id of the load (from `catdata loads history`)")
    .option("--json", "print the history entry as JSON")
    .addHelpText("after", "\nExample:\n  catdata loads retract 0123456789abcdef0123")
    .action(async (jobId: string, opts: { json?: boolean }) => {
      const ctx = getContext();
      const entry = await withRuntime(ctx, (r) =>
        retractLoad({ lake: r.lake, afterChange: () => r.marts.request() }, jobId),
      );
      ctx.out.write(
        opts.json
          ? `${JSON.stringify(entry, null, 2)}\n`
          : `retracted job ${entry.jobId} (${Object.entries(entry.parts)
              .map(([d, n]) => `${d}: ${n} part(s)`)
              .join(", ")}); undo with \`catdata ingest <file> --replaces ${entry.jobId}\`\n`,
      );
    });
}
