import { writeFile } from "node:fs/promises";
import { type Command, InvalidArgumentError } from "commander";
import { TEMPLATE_DATASETS, type TemplateDataset } from "../../cats/template.js";
import {
  type DownloadLang,
  renderTemplateFile,
  TEMPLATE_FORMATS,
  TEMPLATE_LANGS,
  type TemplateFormat,
  templateFileName,
} from "../../cats/template-xlsx.js";
import { CliError, type GetContext } from "../context.js";

const oneOf =
  <T extends string>(allowed: readonly T[], what: string) =>
  (raw: string): T => {
    if (!(allowed as readonly string[]).includes(raw)) {
      throw new InvalidArgumentError(`${what} must be one of ${allowed.join(", ")}`);
    }
    return raw as T;
  };

/** `catdata template <dataset>`: the upload template a municipality fills in, as CSV or .xlsx. */
export function registerTemplateCommand(program: Command, getContext: GetContext): void {
  program
    .command("template")
    .description("write the upload template of a dataset (CSV header row, or .xlsx with an instructions sheet)")
    .argument("<dataset>", TEMPLATE_DATASETS.join(" | "))
    .option("--lang <lang>", "header language: ja | en", oneOf(TEMPLATE_LANGS, "--lang"), "ja")
    .option("--format <format>", "csv | xlsx", oneOf(TEMPLATE_FORMATS, "--format"), "xlsx")
    .option("-o, --out <file>", "where to write it (default: catdata-<dataset>-<lang>.<format>)")
    .addHelpText(
      "after",
      "\nExample:\n  catdata template tnr --lang ja --format xlsx --out tnr.xlsx\n  catdata ingest tnr.xlsx --municipality 272035",
    )
    .action(async (dataset: string, opts: { lang: DownloadLang; format: TemplateFormat; out?: string }) => {
      const ctx = getContext();
      if (!(TEMPLATE_DATASETS as readonly string[]).includes(dataset)) {
        throw new CliError(`no template for "${dataset}": choose one of ${TEMPLATE_DATASETS.join(", ")}`);
      }
      const chosen = dataset as TemplateDataset;
      const out = opts.out ?? templateFileName(chosen, opts.lang, opts.format);
      await writeFile(out, await renderTemplateFile(chosen, opts.lang, opts.format));
      ctx.out.write(`Wrote ${out} (${chosen}, ${opts.lang}, ${opts.format}).\n`);
    });
}
