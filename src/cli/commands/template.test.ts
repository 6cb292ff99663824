/**
 * Pins `catdata template`: it writes the CSV header row (UTF-8 with BOM) or the .xlsx the API serves,
 * to --out or to catdata-<dataset>-<lang>.<format>; an unknown dataset, language or format is refused
 * with the choices.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { templateHeaders } from "../../cats/template.js";
import { cliHarness } from "../../testing/cli-harness.js";
import { tempConfig, tempDir } from "../../testing/fixtures.js";
import { registerTemplateCommand } from "./template.js";

describe("catdata template", () => {
  it("writes the CSV header row with a BOM to --out", async () => {
    const out = path.join(tempDir(), "intakes.csv");
    const cli = cliHarness(tempConfig(), registerTemplateCommand);
    await cli.run("template", "intakes", "--lang", "en", "--format", "csv", "--out", out);
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString("utf8")).toBe(`${templateHeaders("intakes", "en").join(",")}\r\n`);
    expect(cli.text.out).toContain(`Wrote ${out}`);
  });

  it("writes an .xlsx workbook (a zip) by default, named for the dataset and language", async () => {
    const dir = tempDir();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      await cliHarness(tempConfig(), registerTemplateCommand).run("template", "tnr");
    } finally {
      process.chdir(cwd);
    }
    const bytes = readFileSync(path.join(dir, "catdata-tnr-ja.xlsx"));
    expect(bytes.subarray(0, 2).toString("latin1")).toBe("PK");
  });

  it("refuses an unknown dataset, language or format with the choices", async () => {
    const cli = () => cliHarness(tempConfig(), registerTemplateCommand);
    await expect(cli().run("template", "cats")).rejects.toThrow(
      'no template for "cats": choose one of intakes, outcomes, tnr, complaints',
    );
    await expect(cli().run("template", "tnr", "--lang", "fr")).rejects.toThrow(/--lang must be one of ja, en/);
    await expect(cli().run("template", "tnr", "--format", "pdf")).rejects.toThrow(/--format must be one of csv, xlsx/);
  });
});
