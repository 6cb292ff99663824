import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { type Preview, previewFile } from "../../etl/preview.js";
import { scanFile } from "../../etl/sample-file.js";
import {
  describeSpecies,
  type MappingSuggestion,
  renderSuggestion,
  suggestMapping,
} from "../../etl/suggest-mapping.js";
import { CliError, type GetContext } from "../context.js";
import { table } from "../format.js";

/** The truth about the labels: unmapped ones (with counts), conventions applied, skipped species, doubtful columns. */
function describeLabels(best: MappingSuggestion): string {
  const lines: string[] = [`Counted over ${best.countedRows} rows (the whole file).`];
  if (best.unmapped.length > 0) {
    lines.push("Labels NOT mapped (their rows would be quarantined until you map them in `values`):");
    for (const u of best.unmapped)
      lines.push(`  ${u.column} = ${JSON.stringify(u.label)}: ${u.rows} rows${u.decision ? ` — ${u.decision}` : ""}`);
  }
  for (const n of best.notes) lines.push(`Mapped ${JSON.stringify(n.label)} → ${n.value} (${n.rows} rows): ${n.note}`);
  if (best.skipped.length > 0)
    lines.push(`Skipped (not cats): ${best.skipped.map((s) => `${s.label} ${s.rows}`).join(", ")}`);
  for (const d of best.doubtful) lines.push(`Doubtful: ${d.reason}`);
  for (const c of best.freeText) lines.push(`Column ${c} has too many distinct values to list: treated as free text`);
  return `${lines.join("\n")}\n`;
}

function describePreview(p: Preview): string {
  const lines = [
    `Preview (nothing loaded): ${p.rows} rows → ${p.loaded} would load, ${p.quarantined.rows} quarantined, ${p.skipped.rows} skipped`,
  ];
  lines.push(table(p.byCategoryMonth.map((c) => ({ ...c }) as Record<string, unknown>)).trimEnd());
  for (const e of p.quarantined.examples) lines.push(`  quarantined ${e.table} row ${e.row}: ${e.reason}`);
  for (const u of p.unmapped) lines.push(`  unmapped ${u.column} = ${JSON.stringify(u.label)}: ${u.rows} rows`);
  for (const s of p.skipped.labels)
    lines.push(`  skipped ${p.skipped.column ?? ""} = ${JSON.stringify(s.label)}: ${s.rows} rows`);
  return `${lines.join("\n")}\n`;
}

/** `catdata suggest-mapping <file>`: a proposed mapping for a file no shipped profile matches. */
export function registerSuggestCommand(program: Command, getContext: GetContext): void {
  program
    .command("suggest-mapping")
    .description("propose a column mapping for an unknown file; edit it, then load with `ingest --mapping`")
    .argument("<file>", "CSV, JSON lines or .xlsx file")
    .option("-o, --out <file>", "where to write the proposed mapping (JSON)")
    .option("--preview", "also show the figures the mapping would load (per category and month), loading nothing")
    .option("-m, --municipality <code>", "the municipality the preview assumes (default: the mapping's)")
    .option("--json", "print every dataset's suggestion as JSON (with --preview: the first carries `preview`)")
    .addHelpText(
      "after",
      "\nExample:\n  catdata suggest-mapping shelter.csv --preview\n  catdata suggest-mapping shelter.csv -o shelter.mapping.json\n  catdata ingest shelter.csv --municipality 131041 --mapping shelter.mapping.json",
    )
    .action(async (file: string, opts: { out?: string; json?: boolean; preview?: boolean; municipality?: string }) => {
      const ctx = getContext();
      // The same check as ingest's, against the deployment's directory; its fiscal year drives the preview.
      const known = opts.municipality !== undefined ? ctx.config.municipalities.require(opts.municipality) : undefined;
      const [first] = await scanFile(file);
      if (!first || first.headers.length === 0) throw new CliError(`${file} has no header row to map`);
      const suggestions = suggestMapping(first.headers, first.rows, {
        name: path.basename(file).replace(/\..*$/, ""),
        scan: first,
      });
      const best = suggestions[0];
      if (!best) throw new CliError("no suggestion could be made");
      const preview =
        opts.preview && best.missing.length === 0
          ? await previewFile(
              file,
              best.profile,
              known
                ? {
                    municipality: known.code,
                    // As the ETL orders them: the mapping's own start, else the municipality's.
                    fiscalYearStartMonth: best.profile.fiscalYearStartMonth ?? known.fiscalYearStartMonth,
                  }
                : {},
            )
          : undefined;
      if (opts.json) {
        const [head, ...rest] = suggestions;
        return void ctx.out.write(
          `${JSON.stringify([{ ...head, ...(preview ? { preview } : {}) }, ...rest], null, 2)}\n`,
        );
      }
      ctx.out.write(`Most likely dataset: ${best.dataset} (confidence ${(best.confidence * 100).toFixed(0)}%)\n`);
      ctx.out.write(table(best.columns.map((c) => ({ ...c }) as Record<string, unknown>)));
      if (best.missing.length > 0)
        ctx.out.write(`Required fields nothing fills: ${best.missing.join(", ")} — edit the mapping.\n`);
      ctx.out.write(describeLabels(best));
      ctx.out.write(describeSpecies(best));
      const others = suggestions.slice(1, 3).map((s) => `${s.dataset} ${(s.confidence * 100).toFixed(0)}%`);
      ctx.out.write(`Other candidates: ${others.join(", ")}\n`);
      if (opts.preview)
        ctx.out.write(preview ? describePreview(preview) : "No preview: the mapping misses required fields.\n");
      const out = opts.out ?? `${file.replace(/\.(csv|xlsx|jsonl?|gz)+$/i, "")}.mapping.json`;
      await writeFile(out, renderSuggestion(best));
      ctx.out.write(`Wrote ${out}. Check it, then: catdata ingest ${file} --mapping ${out} --municipality <code>\n`);
    });
}
