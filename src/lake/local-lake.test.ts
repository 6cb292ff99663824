/**
 * Pins the local lake (under a DataDir) with the shared Lake contract (lake.contract.ts), plus what
 * only the local one does: parts and catalog where DataDir says, staging emptied after a commit, an
 * older catalog without recorded job sources still read; parts published 0600 in 0700 folders
 * (DuckDB's COPY writes them 0644); a byte flipped in a committed part makes the SQL engine's query
 * fail with INTEGRITY instead of answering with other numbers, and a part's check is cached.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DataDir } from "../local/data-dir.js";
import { DuckDbQueryEngine, PART_RECHECK_MS } from "../sql/duckdb-engine.js";
import { describeLakeContract } from "../testing/contracts/lake.contract.js";
import { tempDir } from "../testing/fixtures.js";
import { flipMiddleByteOfFile } from "../testing/flip-byte.js";
import { writeTestLake } from "../testing/test-lake.js";
import { LocalLake } from "./local-lake.js";

const mkdirp = (dir: string) => mkdirSync(dir, { recursive: true });

describeLakeContract("local", async () => {
  const dataDir = new DataDir(tempDir("catdata-lake-"));
  return {
    lake: new LocalLake(dataDir),
    published: async (rel) => existsSync(path.join(dataDir.lake.root, rel)),
    corrupt: (rel) => flipMiddleByteOfFile(path.join(dataDir.lake.root, rel)),
  };
});

describe("LocalLake", () => {
  it("keeps parts and catalog in the DataDir layout and cleans the job's staging", async () => {
    const dataDir = new DataDir(tempDir("catdata-lake-"));
    const lake = new LocalLake(dataDir, { now: () => new Date("2025-01-02T03:04:05Z") });
    const staging = await lake.openStaging("j1");
    expect(staging).toBe(path.join(dataDir.lake.staging, "j1"));
    expect(readdirSync(staging)).toEqual([]);
    const part = path.join(staging, "intakes", "municipality=131041", "fiscal_year=2024", "part-j1-0-0.parquet");
    mkdirp(path.dirname(part));
    writeFileSync(part, "PAR1");
    const result = await lake.commitJob("j1", {
      intakes: ["municipality=131041/fiscal_year=2024/part-j1-0-0.parquet"],
    });
    expect(result.committed).toBe(true);
    const [entry] = result.committed ? result.files : [];
    expect(entry?.path).toMatch(/^intakes\/municipality=131041\/fiscal_year=2024\/part-j1-0-0-[0-9a-f]{8}\.parquet$/);
    expect(existsSync(path.join(dataDir.lake.root, entry!.path))).toBe(true);
    expect(existsSync(staging)).toBe(false);
    expect(existsSync(dataDir.lake.catalog)).toBe(true);
    expect((await lake.readCatalog()).tables.intakes?.updatedAt).toBe("2025-01-02T03:04:05.000Z");
    expect(lake.localRoots).toContain(dataDir.lake.dataset("intakes"));
  });

  it("reads a catalog written before job sources were recorded", async () => {
    const dataDir = new DataDir(tempDir("catdata-lake-"));
    mkdirp(dataDir.lake.root);
    writeFileSync(dataDir.lake.catalog, JSON.stringify({ version: 3, tables: {}, sources: {} }));
    expect(await new LocalLake(dataDir).readCatalog()).toEqual({
      version: 3,
      tables: {},
      sources: {},
      jobs: {},
      identities: {},
      retired: {},
      history: [],
    });
  });
});

describe("LocalLake integrity", () => {
  it("publishes parts 0600 in 0700 folders", async () => {
    const dataDir = new DataDir(tempDir("catdata-lake-"));
    const { lake } = await writeTestLake(dataDir);
    const [entry] = (await lake.readCatalog()).tables.intakes!.files;
    const file = path.join(dataDir.lake.root, entry!.path);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });

  it("makes a query over a part with a flipped byte fail with INTEGRITY, not other numbers", async () => {
    const dataDir = new DataDir(tempDir("catdata-lake-"));
    const { lake } = await writeTestLake(dataDir);
    let clock = 0;
    const engine = await DuckDbQueryEngine.open(lake, { now: () => clock });
    const fresh = await DuckDbQueryEngine.open(lake);
    try {
      const count = "SELECT count(*) AS n, count(DISTINCT intake_type) AS types FROM intakes";
      expect((await engine.query(count)).rows).toEqual([{ n: "3", types: "2" }]);
      const [entry] = (await lake.readCatalog()).tables.intakes!.files;
      await new Promise((resolve) => setTimeout(resolve, 20));
      await flipMiddleByteOfFile(path.join(dataDir.lake.root, entry!.path));
      // The same engine (views already registered, catalog unchanged; its next check is due) and a
      // fresh one both refuse.
      clock += PART_RECHECK_MS;
      for (const e of [engine, fresh]) {
        await expect(e.query(count)).rejects.toMatchObject({
          code: "INTEGRITY",
          message: expect.stringContaining(entry!.path),
        });
      }
    } finally {
      await engine.close();
      await fresh.close();
    }
  });
});
