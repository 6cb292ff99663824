/**
 * Pins `catdata trail load` on bad files among good ones: a deeply nested file (200,000 brackets,
 * balanced or not, or one deep record inside `Records`), a truncated gzip, text that is not JSON and
 * JSON that is not CloudTrail are each counted as unreadable with their reason, and the load still
 * completes: every record of the good files (real samples from shared/data when present, a small
 * synthetic file always) is loaded, and files = loaded + unreadable.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { cliHarness } from "../../testing/cli-harness.js";
import { hasSamples, sample, tempConfig } from "../../testing/fixtures.js";
import type { LoadSummary } from "../../trail/lake/load-trail.js";
import { registerTrailCommands } from "./trail.js";

const deepRecord = `{"Records":[{"eventVersion":"1.08","eventID":"deep","x":${"[".repeat(50_000)}${"]".repeat(50_000)}}]}`;
const gz = gzipSync(JSON.stringify({ Records: [{ eventVersion: "1.08", eventID: "t1" }, { eventID: "t2" }] }));
const BAD_FILES: Record<string, { body: string | Buffer; reason: RegExp }> = {
  "deep-open.json": { body: "[".repeat(200_000), reason: /nested deeper than 100 levels/ },
  "deep-balanced.json": { body: `${"[".repeat(200_000)}${"]".repeat(200_000)}`, reason: /nested deeper than/ },
  "deep-record.json": { body: deepRecord, reason: /nested deeper than/ },
  "truncated.json.gz": { body: gz.subarray(0, gz.length - 10), reason: /corrupt or truncated gzip/ },
  "prose.json": { body: "these are not the logs you are looking for", reason: /invalid JSON/ },
  "catalogue.json": { body: '{"services": {"s3": 1}}', reason: /not CloudTrail/ },
};

function folderWithBadFiles(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), "catdata-bad-trail-"));
  mkdirSync(path.join(folder, "bad"));
  for (const [name, { body }] of Object.entries(BAD_FILES)) writeFileSync(path.join(folder, "bad", name), body);
  const records = [1, 2, 3].map((i) => ({ eventVersion: "1.08", eventID: `g${i}`, eventName: "ListBuckets" }));
  writeFileSync(path.join(folder, "good.json"), JSON.stringify({ Records: records }));
  return folder;
}

async function load(folder: string): Promise<LoadSummary> {
  const cli = cliHarness(tempConfig(), registerTrailCommands);
  await cli.run("trail", "load", folder, "--json");
  return JSON.parse(cli.text.out) as LoadSummary;
}

function expectBadFilesUnreadable(summary: LoadSummary): void {
  const reasons = new Map(summary.unreadableFiles.map((u) => [u.path, u.reason]));
  expect([...reasons.keys()].sort()).toEqual(
    Object.keys(BAD_FILES)
      .map((name) => `bad/${name}`)
      .sort(),
  );
  for (const [name, { reason }] of Object.entries(BAD_FILES)) expect(reasons.get(`bad/${name}`)).toMatch(reason);
  expect(summary.filesLoaded + summary.filesSkipped + summary.unreadableFiles.length).toBe(summary.filesSeen);
}

describe("catdata trail load with bad files", () => {
  it("counts deep, truncated, non-JSON and non-CloudTrail files as unreadable and loads the rest", async () => {
    const summary = await load(folderWithBadFiles());
    expectBadFilesUnreadable(summary);
    expect(summary).toMatchObject({ filesSeen: 7, filesLoaded: 1, recordsLoaded: 3 });
  });

  it.skipIf(!hasSamples)("loads every record of real CloudTrail files beside them", async () => {
    const folder = folderWithBadFiles();
    const invictus = sample("cloudtrail", "invictus-aws-dataset", "CloudTrail");
    const flaws = sample("cloudtrail", "flaws2");
    const real = readdirSync(invictus)
      .slice(0, 5)
      .map((name) => path.join(invictus, name));
    real.push(
      ...readdirSync(flaws, { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".json.gz"))
        .map((f) => path.join(flaws, f)),
    );
    let expected = 0;
    for (const [i, file] of real.entries()) {
      const bytes = readFileSync(file);
      const text = (file.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
      expected += (JSON.parse(text) as { Records: unknown[] }).Records.length;
      copyFileSync(file, path.join(folder, `real-${i}-${path.basename(file)}`));
    }
    const summary = await load(folder);
    expectBadFilesUnreadable(summary);
    expect(summary.filesLoaded).toBe(real.length + 1);
    expect(summary.recordsLoaded).toBe(expected + 3);
  });
});
