import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { sampleFile } from "../../etl/sample-file.js";
import { renderSuggestion, suggestMapping } from "../../etl/suggest-mapping.js";
import { CliError, type GetContext } from "../context.js";
import { table } from "../format.js";

/** `catdata suggest-mapping <file>`: a proposed mapping for a file no shipped profile matches. */
export function registerSuggestCommand(program: Command, getContext: GetContext): void {
  program
    .command("suggest-mapping")
    .description("propose a column mapping for an unknown file; edit it, then load with `ingest --mapping`")
    .argument("<file>", "CSV, JSON lines or .xlsx file")
    .option("-o, --out <file>", "where to write the proposed mapping (JSON)")
    .option("--json", "print every dataset's suggestion as JSON")
    .addHelpText(
      "after",
      "\nExample:\n  catdata suggest-mapping shelter.csv -o shelter.mapping.json\n  catdata ingest shelter.csv --municipality 131041 --mapping shelter.mapping.json",
    )
    .action(async (file: string, opts: { out?: string; json?: boolean }) => {
      const ctx = getContext();
      const [first] = await sampleFile(file);
      if (!first || first.headers.length === 0) throw new CliError(`${file} has no header row to map`);
      const suggestions = suggestMapping(first.headers, first.rows, { name: path.basename(file).replace(/\..*$/, "") });
      if (opts.json) return void ctx.out.write(`${JSON.stringify(suggestions, null, 2)}\n`);
      const best = suggestions[0];
      if (!best) throw new CliError("no suggestion could be made");
      ctx.out.write(`Most likely dataset: ${best.dataset} (confidence ${(best.confidence * 100).toFixed(0)}%)\n`);
      ctx.out.write(table(best.columns.map((c) => ({ ...c }) as Record<string, unknown>)));
      if (best.missing.length > 0)
        ctx.out.write(`Required fields nothing fills: ${best.missing.join(", ")} — edit the mapping.\n`);
      const others = suggestions.slice(1, 3).map((s) => `${s.dataset} ${(s.confidence * 100).toFixed(0)}%`);
      ctx.out.write(`Other candidates: ${others.join(", ")}\n`);
      const out = opts.out ?? `${file.replace(/\.(csv|xlsx|jsonl?|gz)+$/i, "")}.mapping.json`;
      await writeFile(out, renderSuggestion(best));
      ctx.out.write(`Wrote ${out}. Check it, then: catdata ingest ${file} --mapping ${out} --municipality <code>\n`);
    });
}
