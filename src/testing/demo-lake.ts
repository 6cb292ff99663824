import path from "node:path";
import type { OutcomeRecord } from "../cats/model.js";
import { type DemoData, generateDemoData } from "../demo/generate.js";
import { writeDemoFiles } from "../demo/write-demo-files.js";
import { ingestFile } from "../etl/ingest.js";
import type { Lake } from "../lake/lake.js";
import { DataDir } from "../local/data-dir.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { tempConfig, tempDir } from "./fixtures.js";

/**
 * Test fixture: demo data of a few municipalities loaded through the real pipeline (template CSV
 * files → store put → process-cat-data → the runtime's Parquet lake). Every `blankStayEvery`-th outcome loses its
 * days in shelter, so the marts must find its stay from the matching intake.
 */
export interface DemoLake {
  runtime: Runtime;
  /** The runtime's lake (what warehouses rebuild from). */
  lake: Lake;
  /** The runtime's data directory (its `warehouse` folder holds the DuckDB marts). */
  dataDir: DataDir;
  data: DemoData;
  /** Loads another municipality's files into the same lake. */
  add(codes: string[]): Promise<DemoData>;
}

export const demoData = (codes: string[], blankStayEvery = 5): DemoData => {
  const data = generateDemoData({ seed: 11, fromFiscalYear: 2023, toFiscalYear: 2023, municipalities: codes });
  data.outcomes.forEach((o: OutcomeRecord, i) => {
    if (i % blankStayEvery === 0) o.daysInShelter = null;
  });
  return data;
};

async function ingest(runtime: Runtime, data: DemoData): Promise<void> {
  for (const file of await writeDemoFiles(tempDir(), data)) {
    const municipality = /^demo-(\d+)-/.exec(path.basename(file))?.[1] ?? "";
    const job = await ingestFile(runtime, file, { municipality });
    if (job.status !== "succeeded" || job.counts.quarantined > 0) {
      throw new Error(`${file}: ${job.status} ${job.error ?? ""} (quarantined ${job.counts.quarantined})`);
    }
  }
}

export async function loadDemoLake(codes: string[]): Promise<DemoLake> {
  const config = tempConfig();
  // The tests drive rebuilds themselves.
  const runtime = await openRuntime(config, silentLogger, { rebuildMartsAfterLoad: false });
  const data = demoData(codes);
  await ingest(runtime, data);
  return {
    runtime,
    lake: runtime.lake,
    dataDir: new DataDir(config.dataDirectory),
    data,
    add: async (more) => {
      const extra = demoData(more);
      await ingest(runtime, extra);
      return extra;
    },
  };
}
