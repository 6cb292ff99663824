/**
 * Writes demo data as the upload template files a municipality would send: one CSV per municipality
 * and dataset. Like real uploads they differ: most are Shift_JIS with Japanese headers, every third
 * municipality's are UTF-8 (with BOM) with English headers. The server ingests them on first start.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { getMunicipality } from "../cats/municipalities.js";
import {
  renderTemplateCsv,
  TEMPLATE_DATASETS,
  type TemplateDataset,
  type TemplateEncoding,
  type TemplateLang,
} from "../cats/template.js";
import type { DemoData } from "./generate.js";

export interface DemoFileStyle {
  lang: TemplateLang;
  encoding: TemplateEncoding;
}

const STYLES: readonly DemoFileStyle[] = [
  { lang: "ja", encoding: "shift_jis" },
  { lang: "ja", encoding: "shift_jis" },
  { lang: "en", encoding: "utf8" },
];

/** The style of the i-th municipality's files (0-based, in data order). */
export const demoFileStyle = (index: number): DemoFileStyle => STYLES[index % STYLES.length]!;

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, "-");

/** The file name of one municipality's dataset, e.g. `demo-231002-nagoya-intakes.csv`. */
export function demoFileName(code: string, dataset: TemplateDataset): string {
  const name = getMunicipality(code)?.nameEn;
  return `demo-${code}${name ? `-${slug(name)}` : ""}-${dataset}.csv`;
}

/** Writes every municipality's four template files into `dir` (created if missing); returns their paths. */
export async function writeDemoFiles(dir: string, data: DemoData): Promise<string[]> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const codes = [...new Set(TEMPLATE_DATASETS.flatMap((d) => data[d].map((r) => r.municipality)))];
  const paths: string[] = [];
  for (const [index, code] of codes.entries()) {
    const style = demoFileStyle(index);
    for (const dataset of TEMPLATE_DATASETS) {
      const path = join(root, demoFileName(code, dataset));
      await writeFile(path, renderDataset(dataset, data, code, style));
      paths.push(path);
    }
  }
  return paths;
}

function renderDataset(dataset: TemplateDataset, data: DemoData, code: string, style: DemoFileStyle): Buffer {
  const mine = <T extends { municipality: string }>(rows: readonly T[]): T[] =>
    rows.filter((r) => r.municipality === code);
  switch (dataset) {
    case "intakes":
      return renderTemplateCsv(dataset, mine(data.intakes), style);
    case "outcomes":
      return renderTemplateCsv(dataset, mine(data.outcomes), style);
    case "tnr":
      return renderTemplateCsv(dataset, mine(data.tnr), style);
    case "complaints":
      return renderTemplateCsv(dataset, mine(data.complaints), style);
  }
}
