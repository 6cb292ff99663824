/**
 * Pins the local trail lake: the TrailLake contract over a temporary data directory, parts and the
 * manifest where DataDir says (`lake/trail/events/part-<sha256>.parquet`, `lake/trail/manifest.json`),
 * no temporary files left behind, and a damaged manifest reported as INTEGRITY.
 */
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DataDir } from "../../local/data-dir.js";
import { describeTrailLakeContract } from "../../testing/contracts/trail-lake.contract.js";
import { LocalTrailLake } from "./local-trail-lake.js";

const tempDataDir = () => new DataDir(mkdtempSync(path.join(os.tmpdir(), "catdata-trail-local-")));

describeTrailLakeContract("local", async () => {
  const dataDir = tempDataDir();
  return { lake: new LocalTrailLake(dataDir.trail), reopen: () => new LocalTrailLake(dataDir.trail) };
});

describe("LocalTrailLake", () => {
  it("keeps parts and the manifest where DataDir says, and no temporary files", async () => {
    const dataDir = tempDataDir();
    const lake = new LocalTrailLake(dataDir.trail);
    const tmp = path.join(dataDir.root, "staged.parquet");
    writeFileSync(tmp, "not really parquet");
    await lake.putPart("a".repeat(64), tmp);
    await lake.addEntries([
      {
        sourcePath: "x.json",
        folder: "/f",
        sha256: "a".repeat(64),
        kind: "log",
        records: 1,
        problems: [],
        loadedAt: "t",
      },
    ]);
    expect(readdirSync(dataDir.trail.events)).toEqual([`part-${"a".repeat(64)}.parquet`]);
    expect(await lake.parts()).toEqual([path.join(dataDir.trail.events, `part-${"a".repeat(64)}.parquet`)]);
    expect(readdirSync(dataDir.trail.root).sort()).toEqual(["events", "manifest.json"]);
  });

  it("reports a damaged manifest as INTEGRITY", async () => {
    const dataDir = tempDataDir();
    const lake = new LocalTrailLake(dataDir.trail);
    await lake.addEntries([]);
    writeFileSync(dataDir.trail.manifest, "{ nope");
    await expect(lake.readManifest()).rejects.toMatchObject({ code: "INTEGRITY" });
  });
});
