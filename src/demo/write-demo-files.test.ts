/**
 * Pins: one file per municipality and dataset in the given directory; Shift_JIS files decode to the
 * Japanese headers, UTF-8 ones start with a BOM and carry the English headers; every record is written
 * (row counts match the generated data); the paths returned exist.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import iconv from "iconv-lite";
import { afterAll, describe, expect, it } from "vitest";
import { templateHeaders } from "../cats/template.js";
import { generateDemoData } from "./generate.js";
import { demoFileName, demoFileStyle, writeDemoFiles } from "./write-demo-files.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("writeDemoFiles", () => {
  it("writes Shift_JIS/Japanese and UTF-8/English template files holding every record", async () => {
    const dir = await mkdtemp(join(tmpdir(), "catdata-demo-"));
    dirs.push(dir);
    const codes = ["231002", "271004", "472018"];
    const data = generateDemoData({ seed: 5, municipalities: codes, fromFiscalYear: 2024, toFiscalYear: 2024 });
    const paths = await writeDemoFiles(join(dir, "nested"), data);
    expect(paths).toHaveLength(12);
    expect((await readdir(join(dir, "nested"))).sort()).toEqual(paths.map((p) => p.split("/").pop()).sort());
    expect(paths).toContain(join(dir, "nested", "demo-231002-nagoya-intakes.csv"));

    for (const [index, code] of codes.entries()) {
      const style = demoFileStyle(index);
      const bytes = await readFile(join(dir, "nested", demoFileName(code, "intakes")));
      const hasBom = bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
      expect(hasBom).toBe(style.encoding === "utf8");
      const text = style.encoding === "utf8" ? bytes.subarray(3).toString("utf8") : iconv.decode(bytes, "Shift_JIS");
      expect(text.split("\r\n")[0]).toBe(templateHeaders("intakes", style.lang).join(","));
      const rows: Record<string, string>[] = parse(text, { columns: true });
      expect(rows).toHaveLength(data.intakes.filter((r) => r.municipality === code).length);
    }
    expect(demoFileStyle(0)).toEqual({ lang: "ja", encoding: "shift_jis" });
    expect(demoFileStyle(2)).toEqual({ lang: "en", encoding: "utf8" });
  });
});
