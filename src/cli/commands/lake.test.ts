/**
 * Pins `catdata lake verify`, through the real runtime: after an ingest (cat-data lake) and a trail
 * load (trail lake) it says both verified (exit 0); after a byte is flipped in one part of each it
 * lists both — the lake part with its job and "re-run job …", the trail part with its source file
 * and `catdata trail load <folder>` — and fails with exit code 1; `--json` gives the same report.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { LocalLake } from "../../lake/local-lake.js";
import { DataDir } from "../../local/data-dir.js";
import { AUSTIN_HEADER, austinRows } from "../../testing/austin-rows.js";
import { cliHarness } from "../../testing/cli-harness.js";
import { tempConfig, tempDir } from "../../testing/fixtures.js";
import { flipMiddleByteOfFile } from "../../testing/flip-byte.js";
import type { TrailManifest } from "../../trail/lake/manifest.js";
import { partName } from "../../trail/lake/parts-fingerprint.js";
import type { GetContext } from "../context.js";
import { registerIngestCommands } from "./ingest.js";
import { type LakeVerification, registerLakeCommands } from "./lake.js";
import { registerTrailCommands } from "./trail.js";

const register = (program: Command, getContext: GetContext) => {
  registerIngestCommands(program, getContext);
  registerTrailCommands(program, getContext);
  registerLakeCommands(program, getContext);
};

describe("catdata lake verify", () => {
  it("verifies both lakes, then lists a flipped byte in each with what to do, and exits 1", async () => {
    const config = tempConfig();
    const csv = path.join(tempDir(), "austin.csv");
    writeFileSync(csv, `${AUSTIN_HEADER}\n${austinRows(3).join("\n")}\n`);
    const folder = mkdtempSync(path.join(os.tmpdir(), "catdata-lake-verify-src-"));
    const event = { eventID: "v1", eventTime: "2024-05-01T00:00:00Z", eventName: "ListBuckets" };
    writeFileSync(path.join(folder, "trail.json"), JSON.stringify({ Records: [event] }));
    await cliHarness(config, register).run("ingest", csv, "--municipality", "us-tx-austin");
    await cliHarness(config, register).run("trail", "load", folder);

    const clean = cliHarness(config, register);
    await clean.run("lake", "verify");
    expect(clean.text.out).toMatch(/cat-data lake .*: [1-9]\d* part\(s\) checked, all match/);
    expect(clean.text.out).toMatch(/trail lake .*: 1 part\(s\) checked, all match/);
    expect(clean.text.out).toContain("verified: no damaged part");

    const dataDir = new DataDir(config.dataDirectory);
    const catalog = await new LocalLake(dataDir).readCatalog();
    const lakePart = catalog.tables.intakes!.files[0]!;
    const manifest = JSON.parse(readFileSync(dataDir.trail.manifest, "utf8")) as TrailManifest;
    const trailPart = partName(manifest.files[0]!.sha256);
    await sleep(20); // a later write: file-system timestamps tick coarsely
    await flipMiddleByteOfFile(path.join(dataDir.lake.root, lakePart.path));
    await flipMiddleByteOfFile(path.join(dataDir.trail.events, trailPart));

    const damaged = cliHarness(config, register);
    await expect(damaged.run("lake", "verify")).rejects.toMatchObject({ exitCode: 1 });
    expect(damaged.text.out).toContain(`CHANGED  ${lakePart.path} (intakes, job ${lakePart.jobId})`);
    expect(damaged.text.out).toContain(`what to do: re-run job ${lakePart.jobId}`);
    expect(damaged.text.out).toContain(`CHANGED  ${trailPart} (from trail.json in ${folder})`);
    expect(damaged.text.out).toContain(
      `what to do: re-load its source file, which writes the part again: catdata trail load ${folder}`,
    );
    expect(damaged.text.out).toContain("NOT verified");

    const json = cliHarness(config, register);
    await expect(json.run("lake", "verify", "--json")).rejects.toMatchObject({ exitCode: 1 });
    const report = JSON.parse(json.text.out) as LakeVerification;
    expect(report.ok).toBe(false);
    expect(report.lake.problems.map((p) => [p.path, p.problem])).toEqual([[lakePart.path, "changed"]]);
    expect(report.trail.problems.map((p) => [p.part, p.sourcePath, p.problem])).toEqual([
      [trailPart, "trail.json", "changed"],
    ]);
  });
});
