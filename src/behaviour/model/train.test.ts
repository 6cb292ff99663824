/**
 * Pins training from the lake:
 * - the SQL training (DuckDB over the Parquet parts) counts exactly what the in-memory reference
 *   counts: n-grams with session contexts (ties, gaps), values, hours, errors, denials, marks, tails;
 *   duplicates, Insights events and records without a time are left out
 * - incremental training (train, load more, train) equals training once on everything
 * - an event arriving behind a principal's high-water mark is skipped until a rebuild
 * - the model file round-trips; the stored model is retrained only when the lake has new parts
 * - the same staged SQL renders for Athena (`?` parameters, to_unixtime, no DuckDB-only syntax), and a
 *   view maps the table AWS documents for CloudTrail's S3 logs to the columns it reads
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { athenaDialect } from "../../sql/dialect/dialect-athena.js";
import { emptyBehaviourLake, syntheticLake, type TestBehaviourLake } from "../../testing/behaviour.js";
import { loadTrailFolder } from "../../trail/lake/load-trail.js";
import { recordsToEvents } from "../evaluation/attack-techniques.js";
import { cloudtrailViewSql } from "../sql/build-athena-view-sql.js";
import { stagedEventsSql } from "../sql/build-training-sql.js";
import type { BehaviourModel } from "./behaviour-model.js";
import { deserialiseModel, serialiseModel } from "./model-file.js";
import { trainBehaviourModel } from "./train.js";
import { trainInMemory } from "./train-memory.js";

const config = { sessionGapMs: 30 * 60_000 };
const META = { trainedAt: "", parts: { count: 0, digest: "" } };
const deps = (lake: TestBehaviourLake) => ({ trail: lake.trail, models: lake.models, now: () => new Date() });

/** The model as sorted JSON, so two models with the same counts compare equal. */
function canonical(model: BehaviourModel): unknown {
  const file = JSON.parse(serialiseModel(model, META)) as { principals: [string, Record<string, unknown[]>][] };
  for (const [, batch] of file.principals) for (const key of ["transitions", "values", "hours"]) batch[key]?.sort();
  return file.principals.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

const identity = (name: string) => ({
  type: "IAMUser",
  arn: `arn:aws:iam::111122223333:user/${name}`,
  accountId: "111122223333",
  userName: name,
});
function record(
  id: string,
  time: string | undefined,
  name: string,
  who = "alice",
  extra: Record<string, unknown> = {},
) {
  const [source, eventName] = name.split(":");
  return {
    eventVersion: "1.08",
    eventID: id,
    ...(time ? { eventTime: time } : {}),
    eventSource: `${source}.amazonaws.com`,
    eventName,
    awsRegion: "eu-west-1",
    sourceIPAddress: "198.51.100.7",
    userAgent: "aws-cli/2.15.30",
    userIdentity: identity(who),
    ...extra,
  };
}

const FIRST = [
  record("a1", "2024-05-01T10:00:00Z", "s3:ListBuckets"),
  record("a3", "2024-05-01T10:00:01Z", "s3:GetObject"),
  record("a2", "2024-05-01T10:00:01Z", "s3:ListObjects"), // same second: a2 before a3
  record("a4", "2024-05-01T10:00:05Z", "iam:CreateUser", "alice", { errorCode: "AccessDenied" }),
  record("b1", "2024-05-01T10:00:02Z", "ec2:DescribeInstances", "bob", { sourceIPAddress: "203.0.113.9" }),
  record("x1", undefined, "s3:GetObject"), // no time: not behaviour
];
const SECOND = [
  record("a5", "2024-05-01T11:00:00Z", "s3:ListBuckets"), // a new session (gap > 30 min)
  record("a6", "2024-05-01T11:00:03Z", "s3:GetObject", "alice", { errorCode: "NoSuchKey", userAgent: "Boto3/1.34" }),
  record("a6", "2024-05-01T11:00:03Z", "s3:GetObject", "alice", { errorCode: "NoSuchKey", userAgent: "Boto3/1.34" }),
  record("b2", "2024-05-01T10:20:00Z", "ec2:RunInstances", "bob"),
  {
    eventVersion: "1.08",
    eventType: "AwsCloudTrailInsight",
    eventID: "i1",
    eventTime: "2024-05-01T10:30:00Z",
    insightDetails: { eventSource: "s3.amazonaws.com", eventName: "GetObject" },
  },
];

async function folderOf(files: Record<string, unknown[]>): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), "catdata-train-"));
  for (const [name, records] of Object.entries(files))
    await writeFile(path.join(folder, name), JSON.stringify({ Records: records }));
  return folder;
}

function reference(records: unknown[]) {
  const seen = new Set<string>();
  const events = recordsToEvents(records, "ref").filter((e) => !seen.has(e.eventId) && seen.add(e.eventId));
  return trainInMemory(events, config);
}

describe("SQL training", () => {
  it("equals the in-memory reference, and incremental equals batch", async () => {
    const lake = await emptyBehaviourLake();
    await loadTrailFolder(lake.trail, await folderOf({ "1.json": FIRST }));
    const first = await trainBehaviourModel(deps(lake));
    expect(first.summary).toMatchObject({ rebuilt: true, newEvents: 5, principals: 2 });
    expect(canonical(first.model)).toEqual(canonical(reference(FIRST)));

    await loadTrailFolder(lake.trail, await folderOf({ "2.json": SECOND }));
    const second = await trainBehaviourModel(deps(lake));
    expect(second.summary).toMatchObject({ rebuilt: false, newEvents: 3, events: 8 });
    const batch = await trainBehaviourModel(deps(lake), { rebuild: true });
    expect(canonical(second.model)).toEqual(canonical(batch.model));
    expect(canonical(batch.model)).toEqual(canonical(reference([...FIRST, ...SECOND])));

    const alice = batch.model.principal("iam-user:111122223333/alice");
    expect(alice).toMatchObject({ events: 6, errors: 2, denials: 1, lastId: "a6" });
    expect(alice?.tail).toEqual(["s3.amazonaws.com:ListBuckets", "s3.amazonaws.com:GetObject"]);
    expect(alice?.ngrams.evidence("^", "^")[0]?.counts.get("s3.amazonaws.com:ListBuckets")).toBe(2);
    expect(alice?.ngrams.evidence("s3.amazonaws.com:ListBuckets", "s3.amazonaws.com:ListObjects")[0]?.counts).toEqual(
      new Map([["s3.amazonaws.com:GetObject", 1]]),
    );
  });

  it("skips an event behind a principal's high-water mark until a rebuild", async () => {
    const lake = await emptyBehaviourLake();
    await loadTrailFolder(lake.trail, await folderOf({ "1.json": FIRST }));
    await trainBehaviourModel(deps(lake));
    await loadTrailFolder(
      lake.trail,
      await folderOf({ "late.json": [record("a0", "2024-05-01T09:59:00Z", "sts:GetCallerIdentity")] }),
    );
    expect((await trainBehaviourModel(deps(lake))).summary.newEvents).toBe(0);
    expect((await trainBehaviourModel(deps(lake), { rebuild: true })).summary.events).toBe(6);
  });

  it("equals the reference on a week of synthetic work, and round-trips through the model file", async () => {
    const { records, ...lake } = await syntheticLake(1);
    const { model } = await trainBehaviourModel(deps(lake));
    expect(model.events).toBe(records.length);
    expect(canonical(model)).toEqual(canonical(reference(records)));
    const again = deserialiseModel(serialiseModel(model, META), "test");
    expect(canonical(again.model)).toEqual(canonical(model));
    expect(again.model.groups.get("AssumedRole")?.total).toBe(model.groups.get("AssumedRole")?.total);
  });

  it("retrains the stored model only when the lake has new parts", async () => {
    const lake = await emptyBehaviourLake();
    await loadTrailFolder(lake.trail, await folderOf({ "1.json": FIRST }));
    const clock = (iso: string) => () => new Date(iso);
    const a = await lake.service({ now: clock("2024-06-01T00:00:00Z") }).model();
    const b = await lake.service({ now: clock("2024-06-02T00:00:00Z") }).model();
    expect(b.meta.trainedAt).toBe(a.meta.trainedAt);
    await loadTrailFolder(lake.trail, await folderOf({ "2.json": SECOND }));
    const c = await lake.service({ now: clock("2024-06-03T00:00:00Z") }).model();
    expect([a.meta.trainedAt, c.meta.trainedAt, c.model.events]).toEqual([
      "2024-06-01T00:00:00.000Z",
      "2024-06-03T00:00:00.000Z",
      8,
    ]);
  });
});

describe("training SQL for Athena", () => {
  it("uses positional ? parameters and Trino functions", () => {
    const { sql, params } = stagedEventsSql(athenaDialect, {
      source: "catdata.trail_events",
      sessionGapMs: 1_800_000,
      marks: [{ principal: "iam-user:1/alice", lastMs: 1, lastId: "x" }],
      untilMs: 5,
    });
    expect(sql.match(/\?/g)).toHaveLength(params.length);
    expect(params).toEqual([5, "iam-user:1/alice", 1, "x"]);
    expect(sql).toContain("to_unixtime(event_time)");
    expect(sql).toContain("FROM catdata.trail_events");
    expect(sql).not.toMatch(/\$\d|QUALIFY|epoch_ms|WINDOW /);
  });
});

describe("Athena view over CloudTrail's S3 logs", () => {
  it("maps the documented cloudtrail_logs columns to the names the training reads", () => {
    const sql = cloudtrailViewSql("catdata.trail_events", "default.cloudtrail_logs");
    for (const column of [
      "event_id",
      "event_time",
      "principal",
      "principal_type",
      "event_key",
      "region",
      "source_ip",
      "user_agent",
      "error_code",
      "is_insight",
      "source_file",
      "record_index",
    ]) {
      expect(sql).toMatch(new RegExp(`AS ${column}\\b`));
    }
    expect(sql).toContain("FROM default.cloudtrail_logs");
    expect(() => cloudtrailViewSql("v; DROP TABLE x", "t")).toThrow(/not a table name/);
  });
});
