/**
 * Pins the local trail lake: the TrailLake contract over a temporary data directory, parts and the
 * manifest where DataDir says (`lake/trail/events/part-<sha256>.parquet`, `lake/trail/manifest.json`),
 * no temporary files left behind, and a damaged manifest reported as INTEGRITY; a part the manifest
 * names that is gone is refused (never fewer rows), and a part on disk the manifest does not name
 * (a load that crashed before its entry was added) is not read.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DataDir } from "../../local/data-dir.js";
import { describeTrailLakeContract } from "../../testing/contracts/trail-lake.contract.js";
import { flipMiddleByteOfFile } from "../../testing/flip-byte.js";
import { loadTrailFolder } from "./load-trail.js";
import { LocalTrailLake } from "./local-trail-lake.js";
import { partName } from "./parts-fingerprint.js";

const tempDataDir = () => new DataDir(mkdtempSync(path.join(os.tmpdir(), "catdata-trail-local-")));

describeTrailLakeContract("local", async () => {
  const dataDir = tempDataDir();
  return {
    lake: new LocalTrailLake(dataDir.trail),
    reopen: () => new LocalTrailLake(dataDir.trail),
    corrupt: (part) => flipMiddleByteOfFile(path.join(dataDir.trail.events, part)),
  };
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

  it("refuses a part the manifest names that is gone, and ignores a part it does not name", async () => {
    const dataDir = tempDataDir();
    const lake = new LocalTrailLake(dataDir.trail);
    const folder = mkdtempSync(path.join(os.tmpdir(), "catdata-trail-gone-"));
    const event = (id: string) => ({ eventID: id, eventTime: "2024-05-01T00:00:00Z", eventName: "ListBuckets" });
    writeFileSync(path.join(folder, "a.json"), JSON.stringify({ Records: [event("a1"), event("a2")] }));
    writeFileSync(path.join(folder, "b.json"), JSON.stringify({ Records: [event("b1")] }));
    await loadTrailFolder(lake, folder);
    const [a, b] = (await lake.readManifest()).files;
    const stray = path.join(dataDir.trail.events, partName("f".repeat(64)));
    writeFileSync(stray, "a part no manifest entry names");
    expect((await lake.parts()).map((p) => path.basename(p))).toEqual(
      [partName(a!.sha256), partName(b!.sha256)].sort(),
    );
    rmSync(path.join(dataDir.trail.events, partName(b!.sha256)));
    await expect(lake.parts()).rejects.toMatchObject({
      code: "INTEGRITY",
      message: expect.stringMatching(/\(from b\.json\) failed its integrity check: the part's file is gone/),
    });
    expect((await lake.verify()).map((p) => [p.sourcePath, p.problem])).toEqual([["b.json", "missing"]]);
  });
});
