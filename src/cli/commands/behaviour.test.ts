/**
 * Pins the behaviour commands under `catdata trail`, on a lake holding a synthetic week plus one
 * crafted intrusion (alice's key used from a new address on a Sunday night to stop the trail):
 * - train trains once, then only adds new events; principals, profile (with a heatmap), predict
 *   and anomalies print tables, or JSON in the documented shapes
 * - the intrusion ranks first among anomalies, with its reasons
 * - eval measures a folder with a labels CSV; report writes one self-contained HTML file
 * - progress is drawn on stderr only when interactive; bad options fail as CLI errors
 */
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { Command } from "commander";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../config/config.js";
import { silentLogger } from "../../log/logger.js";
import { syntheticLake, type TestBehaviourLake, writeTrailFolder } from "../../testing/behaviour.js";
import { loadTrailFolder } from "../../trail/lake/load-trail.js";
import type { CliContext } from "../context.js";
import { registerBehaviourCommands } from "./behaviour.js";

const INTRUSION = {
  eventVersion: "1.08",
  eventID: "intrusion-1",
  eventTime: "2024-04-07T18:30:00Z",
  eventSource: "cloudtrail.amazonaws.com",
  eventName: "StopLogging",
  awsRegion: "sa-east-1",
  sourceIPAddress: "192.0.2.66",
  userAgent: "python-requests/2.31",
  userIdentity: {
    type: "IAMUser",
    arn: "arn:aws:iam::111122223333:user/alice",
    accountId: "111122223333",
    userName: "alice",
  },
  requestParameters: { name: "cat-data-trail" },
};

function harness(lake: TestBehaviourLake, interactive = false) {
  const out = new PassThrough();
  const err = new PassThrough();
  const text = { out: "", err: "" };
  out.on("data", (chunk: Buffer) => {
    text.out += chunk.toString();
  });
  err.on("data", (chunk: Buffer) => {
    text.err += chunk.toString();
  });
  const context: CliContext = {
    config: loadConfig(
      { CATDATA_HOME: lake.dataDir.root, CATDATA_SAMPLES_DIR: path.join(os.tmpdir(), "no-samples") },
      os.tmpdir(),
    ),
    logger: silentLogger,
    out,
    err,
    interactive,
  };
  const program = new Command("catdata").exitOverride();
  registerBehaviourCommands(program.command("trail"), () => context);
  return { run: (...args: string[]) => program.parseAsync(args, { from: "user" }), text };
}

let lake: TestBehaviourLake;
let folder: string;
beforeAll(async () => {
  const synthetic = await syntheticLake(1);
  lake = synthetic;
  folder = synthetic.folder;
  const intrusion = await writeTrailFolder([INTRUSION]);
  await loadTrailFolder(lake.trail, intrusion);
  await writeFile(path.join(folder, "labels.csv"), "eventID,label\nintrusion-1,1\n");
});

describe("catdata trail (behaviour)", () => {
  it("trains, then only adds new events", async () => {
    const first = harness(lake);
    await first.run("trail", "train", "--json");
    expect(JSON.parse(first.text.out)).toMatchObject({ rebuilt: true, principals: 5 });
    const second = harness(lake);
    await second.run("trail", "train");
    expect(second.text.out).toMatch(/^Updated .*behaviour\.json: \+0 events for 0 principals/);
  });

  it("lists principals and profiles one, with a heatmap in the zone asked for", async () => {
    const list = harness(lake);
    await list.run("trail", "principals", "--json");
    const principals = JSON.parse(list.text.out) as { principal: string; events: number }[];
    expect(principals.map((p) => p.events)).toEqual([...principals.map((p) => p.events)].sort((a, b) => b - a));
    expect(principals.map((p) => p.principal)).toContain("iam-user:111122223333/alice");
    const profile = harness(lake);
    await profile.run("trail", "profile", "alice", "--zone", "Asia/Tokyo");
    expect(profile.text.out).toMatch(/^iam-user:111122223333\/alice \(IAMUser\)/);
    expect(profile.text.out).toMatch(/Activity by hour of week \(Asia\/Tokyo/);
    expect(profile.text.out).toMatch(/\nMon {2}[·░▒▓█ ]{24}\n/);
  });

  it("predicts next calls as { eventKey, probability }", async () => {
    const { run, text } = harness(lake);
    await run("trail", "predict", "bob", "--top", "3", "--after", "athena.amazonaws.com:StartQueryExecution", "--json");
    const result = JSON.parse(text.out) as { predictions: { eventKey: string; probability: number }[] };
    expect(result.predictions).toHaveLength(3);
    expect(result.predictions[0]?.eventKey).toBe("athena.amazonaws.com:GetQueryExecution");
    expect(result.predictions.reduce((s, p) => s + p.probability, 0)).toBeLessThanOrEqual(1);
    await expect(harness(lake).run("trail", "predict", "nobody")).rejects.toThrow(/no principal "nobody"/);
    await expect(harness(lake).run("trail", "predict", "bob", "--top", "zero")).rejects.toThrow(
      /--top must be a whole number/,
    );
  });

  it("ranks the intrusion first among anomalies, with its reasons", async () => {
    const json = harness(lake);
    await json.run("trail", "anomalies", "--limit", "5", "--json");
    const ranked = JSON.parse(json.text.out) as { eventID: string; score: number; reasons: { kind: string }[] }[];
    expect(ranked).toHaveLength(5);
    expect(Object.keys(ranked[0] ?? {}).sort()).toEqual([
      "eventID",
      "eventKey",
      "eventTime",
      "principal",
      "reasons",
      "score",
      "session",
    ]);
    expect(ranked[0]?.eventID).toBe("intrusion-1");
    expect(ranked[0]?.reasons.map((r) => r.kind)).toEqual(
      // No off-hours reason: one week of history is too little to call an hour unusual.
      expect.arrayContaining([
        "first-seen-source-ip",
        "first-seen-user-agent",
        "sensitive-action",
        "first-seen-region",
      ]),
    );
    const table = harness(lake, true);
    await table.run("trail", "anomalies", "--since", "2024-04-03T00:00:00Z", "--limit", "3");
    expect(table.text.out).toMatch(/^Scored [\d,]+ events since 2024-04-03T00:00:00.000Z/);
    expect(table.text.out).toMatch(/Why #1 \(intrusion-1\):\n {2}\+\d+\.\d\d {2}sensitive-action/);
    expect(table.text.err).toContain("scoring");
  });

  it("evaluates a folder with labels, and writes a self-contained HTML report", async () => {
    const intrusion = await writeTrailFolder([INTRUSION]);
    const ev = harness(lake);
    await ev.run("trail", "eval", folder, "--labels", path.join(folder, "labels.csv"), "--min-events", "50", "--json");
    const report = JSON.parse(ev.text.out) as { nextAction: unknown[]; anomaly: { labels: { positives: number } } };
    expect(report.nextAction.length).toBeGreaterThan(0);
    expect(report.anomaly.labels.positives).toBe(0);
    const ev2 = harness(lake);
    await ev2.run("trail", "eval", intrusion, "--labels", path.join(folder, "labels.csv"));
    expect(ev2.text.out).toMatch(/no principal has ≥ 100 events/);
    const out = path.join(folder, "report.html");
    const rep = harness(lake);
    await rep.run("trail", "report", "--out", out, "--zone", "Asia/Tokyo");
    expect(rep.text.out).toMatch(/^Wrote .*report\.html \(5 principals, \d+ anomalies\)/);
    const html = await readFile(out, "utf8");
    expect(html).toContain("<svg");
    expect(html).toContain("cloudtrail.amazonaws.com:StopLogging");
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3)/);
  });
});
