import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { BehaviourService } from "../src/behaviour/behaviour-service.js";
import { LocalModelStore } from "../src/behaviour/model/local-model-store.js";
import { mulberry32 } from "../src/demo/random.js";
import { DuckDb, literal } from "../src/duckdb/duckdb.js";
import { DataDir } from "../src/local/data-dir.js";
import { loadTrailFolder } from "../src/trail/lake/load-trail.js";
import { LocalTrailLake } from "../src/trail/lake/local-trail-lake.js";

/**
 * `benchTrailLoad({ events })` (alone: `npx tsx bench/trail-load.ts --events 1000000 [--dir d]`):
 * generates a large synthetic CloudTrail folder, then measures in the same run our
 * `loadTrailFolder` and DuckDB's own `read_json` of the same files, events/s and peak RSS.
 *
 * The folder is in the S3 delivery layout
 * (`AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<time>_<id>.json.gz`),
 * deterministic from its seed: IAM users, role sessions (people, CI, Lambda), root, AWS services
 * and a federated user, each with its own favourite APIs, user agents of every family, ~4% errors.
 * Files of 500–1500 records, gzipped (level 5) on the thread pool while the next one is built.
 */
const ACCOUNT = "123456789012";
const gzipAsync = promisify(gzip);

const AGENTS = [
  "console.amazonaws.com",
  "aws-cli/2.15.30 Python/3.11.8 Linux/5.10.215 exe/x86_64.amzn.2 prompt/off command/s3.ls",
  "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10 md/arch#x86_64 lang/python#3.11.6 Botocore/1.34.69",
  "aws-sdk-js/3.540.0 ua/2.0 os/linux#5.15 lang/js md/nodejs#20.11.1 api/s3#3.540.0",
  "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0",
  "aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/sts#1.28.5",
];
const API: [string, string, boolean][] = [
  ["s3", "ListBuckets", true],
  ["s3", "GetObject", true],
  ["s3", "PutObject", false],
  ["s3", "GetBucketPolicy", true],
  ["ec2", "DescribeInstances", true],
  ["ec2", "RunInstances", false],
  ["ec2", "DescribeSecurityGroups", true],
  ["ec2", "AuthorizeSecurityGroupIngress", false],
  ["iam", "ListUsers", true],
  ["iam", "GetRole", true],
  ["iam", "CreateAccessKey", false],
  ["iam", "AttachRolePolicy", false],
  ["sts", "AssumeRole", true],
  ["sts", "GetCallerIdentity", true],
  ["lambda", "ListFunctions20150331", true],
  ["lambda", "UpdateFunctionCode20150331v2", false],
  ["logs", "CreateLogStream", false],
  ["logs", "DescribeLogGroups", true],
  ["kms", "Decrypt", true],
  ["dynamodb", "DescribeTable", true],
  ["cloudtrail", "LookupEvents", true],
  ["cloudtrail", "StopLogging", false],
  ["ssm", "GetParameter", true],
  ["secretsmanager", "GetSecretValue", true],
  ["ecr", "GetAuthorizationToken", true],
];

interface Actor {
  identity: Record<string, unknown>;
  agent: string;
  ip: string;
  apis: number[];
}

function actors(random: () => number): Actor[] {
  const pick = () => Array.from({ length: 6 }, () => Math.floor(random() * API.length));
  const ip = () =>
    `${20 + Math.floor(random() * 180)}.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}.${1 + Math.floor(random() * 250)}`;
  const user = (name: string, agent: number): Actor => ({
    identity: {
      type: "IAMUser",
      principalId: `AIDA${name.toUpperCase()}X`,
      arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
      accountId: ACCOUNT,
      accessKeyId: `AKIA${name.toUpperCase()}00`,
      userName: name,
    },
    agent: AGENTS[agent] ?? "",
    ip: ip(),
    apis: pick(),
  });
  const role = (roleName: string, session: string, agent: number): Actor => ({
    identity: {
      type: "AssumedRole",
      principalId: `AROAEXAMPLE${roleName.length}:${session}`,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/${session}`,
      accountId: ACCOUNT,
      accessKeyId: `ASIA${session.toUpperCase().slice(0, 8)}`,
      sessionContext: {
        sessionIssuer: {
          type: "Role",
          principalId: `AROAEXAMPLE${roleName.length}`,
          arn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`,
          accountId: ACCOUNT,
          userName: roleName,
        },
        attributes: { creationDate: "2024-05-01T08:00:00Z", mfaAuthenticated: "false" },
      },
    },
    agent: AGENTS[agent] ?? "",
    ip: ip(),
    apis: pick(),
  });
  return [
    user("alice", 1),
    user("bob", 2),
    user("carol", 0),
    user("dave", 3),
    user("ci-bot", 5),
    role("Admin", "alice", 0),
    role("Admin", "bob", 1),
    role("DeployRole", "gh-actions-4711", 4),
    role("DeployRole", "gh-actions-4712", 4),
    role("ingest-fn-role", "ingest-fn", 3),
    role("ReadOnly", "auditor", 0),
    {
      identity: { type: "Root", principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT },
      agent: AGENTS[0] ?? "",
      ip: ip(),
      apis: pick(),
    },
    {
      identity: { type: "AWSService", invokedBy: "ec2.amazonaws.com" },
      agent: "ec2.amazonaws.com",
      ip: "ec2.amazonaws.com",
      apis: pick(),
    },
    {
      identity: {
        type: "FederatedUser",
        principalId: `${ACCOUNT}:partner`,
        arn: `arn:aws:sts::${ACCOUNT}:federated-user/partner`,
        accountId: ACCOUNT,
      },
      agent: AGENTS[2] ?? "",
      ip: ip(),
      apis: pick(),
    },
  ];
}

const WEIGHTS = [8, 6, 4, 5, 20, 6, 5, 12, 12, 14, 3, 0.2, 3, 1];

export interface SynthSummary {
  files: number;
  events: number;
  bytes: number;
}

export async function generateTrailFolder(root: string, events: number, seed = 42): Promise<SynthSummary> {
  const random = mulberry32(seed);
  const cast = actors(random);
  const total = WEIGHTS.reduce((a, b) => a + b, 0);
  const chooseActor = () => {
    let r = random() * total;
    for (const [i, w] of WEIGHTS.entries()) {
      r -= w;
      if (r < 0) return cast[i] ?? cast[0]!;
    }
    return cast[0]!;
  };
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join("");
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const start = Date.parse("2024-05-01T00:00:00Z");
  const span = 14 * 86_400_000;
  let written = 0;
  let files = 0;
  let bytes = 0;
  const pending: Promise<void>[] = [];
  while (written < events) {
    const count = Math.min(events - written, 500 + Math.floor(random() * 1001));
    const region = random() < 0.8 ? "us-east-1" : "eu-west-1";
    const t0 = start + Math.floor((written / events) * span);
    const t1 = start + Math.floor(((written + count) / events) * span);
    const records = Array.from({ length: count }, (_, i) => {
      const actor = chooseActor();
      const [service, eventName, readOnly] =
        API[random() < 0.85 ? (actor.apis[Math.floor(random() * 6)] ?? 0) : Math.floor(random() * API.length)]!;
      const e = random();
      const error =
        e < 0.03
          ? "AccessDenied"
          : e < 0.035
            ? "ThrottlingException"
            : e < 0.04
              ? "ResourceNotFoundException"
              : undefined;
      return {
        eventVersion: "1.09",
        userIdentity: actor.identity,
        eventTime: new Date(t0 + Math.floor(((t1 - t0) * i) / count)).toISOString().replace(/\.\d{3}Z$/, "Z"),
        eventSource: `${service}.amazonaws.com`,
        eventName,
        awsRegion: region,
        sourceIPAddress: actor.ip,
        userAgent: actor.agent,
        ...(error
          ? { errorCode: error, errorMessage: `User is not authorized to perform: ${service}:${eventName}` }
          : {}),
        requestParameters: readOnly ? null : { resourceName: `res-${Math.floor(random() * 500)}` },
        responseElements: null,
        requestID: uuid(),
        eventID: uuid(),
        readOnly,
        eventType: "AwsApiCall",
        managementEvent: true,
        recipientAccountId: ACCOUNT,
        eventCategory: "Management",
      };
    });
    const when = new Date(t1).toISOString();
    const dir = path.join(
      root,
      "AWSLogs",
      ACCOUNT,
      "CloudTrail",
      region,
      when.slice(0, 4),
      when.slice(5, 7),
      when.slice(8, 10),
    );
    const name = `${ACCOUNT}_CloudTrail_${region}_${when.slice(0, 16).replace(/[-:]/g, "")}Z_${hex(16)}.json.gz`;
    const json = JSON.stringify({ Records: records });
    pending.push(
      (async () => {
        const gz = await gzipAsync(json, { level: 5 });
        await mkdir(dir, { recursive: true });
        await writeFile(path.join(dir, name), gz);
        bytes += gz.length;
      })(),
    );
    if (pending.length >= 4) await pending.shift();
    written += count;
    files += 1;
  }
  await Promise.all(pending);
  return { files, events: written, bytes };
}

const MiB = 1024 ** 2;
const seconds = (t0: number) => (performance.now() - t0) / 1000;

/** Peak resident memory of a phase: the kernel's high-water mark, reset at the start (Linux), else sampled. */
class PeakRss {
  private sampled = process.memoryUsage.rss();
  private readonly timer = setInterval(() => {
    this.sampled = Math.max(this.sampled, process.memoryUsage.rss());
  }, 20);
  private readonly kernel = resetHighWaterMark();
  readonly startRss = process.memoryUsage.rss();

  stop(): number {
    clearInterval(this.timer);
    const hwm = this.kernel ? highWaterMark() : undefined;
    return Math.max(this.sampled, process.memoryUsage.rss(), hwm ?? 0);
  }
}

function resetHighWaterMark(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

function highWaterMark(): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/**
 * Load throughput of `loadTrailFolder` on a synthetic S3-layout folder of `events` records, against
 * DuckDB's own `read_json` of the same files in the same run (count, then unnest of `Records` into a
 * table), with the peak RSS of each phase. `dir` keeps the generated folder for re-runs.
 */
export async function benchTrailLoad(opts: { events: number; dir?: string }): Promise<Record<string, number>> {
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), "catdata-bench-trail-"));
  const folder = path.join(dir, `trail-${opts.events}`);
  const marker = path.join(folder, ".generated");
  let t0 = performance.now();
  if (!existsSync(marker)) {
    rmSync(folder, { recursive: true, force: true });
    const made = await generateTrailFolder(folder, opts.events);
    writeFileSync(marker, JSON.stringify(made));
  }
  const generateSeconds = seconds(t0);
  const made = JSON.parse(readFileSync(marker, "utf8")) as SynthSummary;
  const home = mkdtempSync(path.join(dir, "home-"));
  const dataDir = new DataDir(home);
  const trail = new LocalTrailLake(dataDir.trail);
  const behaviour = new BehaviourService({
    trail,
    models: new LocalModelStore(dataDir.models.behaviour),
    samplesDir: path.resolve(process.env.CATDATA_SAMPLES_DIR ?? "../shared/data"),
    now: () => new Date(),
  });

  let peak = new PeakRss();
  const rssBefore = peak.startRss;
  t0 = performance.now();
  const summary = await loadTrailFolder(trail, folder);
  const ours = seconds(t0);
  const oursPeak = peak.stop();
  if (summary.recordsLoaded !== made.events) {
    throw new Error(`loaded ${summary.recordsLoaded} records, generated ${made.events}`);
  }

  // Training on everything loaded, then single-principal predictions (the API's and MCP tool's path).
  t0 = performance.now();
  await behaviour.train({ rebuild: true });
  const { model } = await behaviour.model();
  const trainSeconds = seconds(t0);
  const principals = [...model.principals.keys()];
  // First call per principal (cold: reads its last session from the lake), then warm calls.
  const cold: number[] = [];
  for (const principal of principals) {
    const p0 = performance.now();
    await behaviour.predict(principal, { top: 5 });
    cold.push(performance.now() - p0);
  }
  cold.sort((a, b) => a - b);
  const latencies: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const p0 = performance.now();
    await behaviour.predict(principals[i % principals.length] ?? "", { top: 5 });
    latencies.push(performance.now() - p0);
  }
  latencies.sort((a, b) => a - b);

  const db = await DuckDb.open(":memory:");
  const source = `read_json(${literal(`${folder}/AWSLogs/*/CloudTrail/*/*/*/*/*.json.gz`)}, format = 'auto', maximum_object_size = 268435456)`;
  peak = new PeakRss();
  t0 = performance.now();
  const counted = await db.one<{ n: number }>(`SELECT sum(len(Records))::BIGINT AS n FROM ${source}`);
  const duckCount = seconds(t0);
  t0 = performance.now();
  await db.run(`CREATE TABLE events AS SELECT unnest(Records, max_depth := 2) FROM ${source}`);
  const duckTable = seconds(t0);
  const duckPeak = peak.stop();
  const rows = await db.one<{ n: number }>("SELECT count(*)::BIGINT AS n FROM events");
  db.close();
  if (Number(counted?.n) !== made.events || Number(rows?.n) !== made.events) {
    throw new Error(`DuckDB read ${counted?.n} / ${rows?.n} records, generated ${made.events}`);
  }
  if (!opts.dir) rmSync(dir, { recursive: true, force: true });
  else rmSync(home, { recursive: true, force: true });

  const results = {
    events: made.events,
    files: made.files,
    gzipMiB: made.bytes / MiB,
    generateSeconds,
    oursSeconds: ours,
    oursEventsPerSecond: made.events / ours,
    duckdbCountSeconds: duckCount,
    duckdbTableSeconds: duckTable,
    duckdbEventsPerSecond: made.events / duckTable,
    ratioOursToDuckdb: made.events / ours / (made.events / duckTable),
    trainSeconds,
    trainEventsPerSecond: made.events / trainSeconds,
    principals: principals.length,
    predictColdMedianMs: cold[Math.floor(cold.length / 2)] ?? Number.NaN,
    predictColdMaxMs: cold.at(-1) ?? Number.NaN,
    predictP50Ms: latencies[Math.floor(latencies.length * 0.5)] ?? Number.NaN,
    predictP99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? Number.NaN,
    rssBeforeLoadMiB: rssBefore / MiB,
    oursPeakRssMiB: oursPeak / MiB,
    duckdbPeakRssMiB: duckPeak / MiB,
  };
  printTable(results);
  return results;
}

function printTable(results: Record<string, number>): void {
  const rows = Object.entries(results).map(
    ([key, value]) =>
      `  ${key.padEnd(24)} ${Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(2)}`,
  );
  process.stdout.write(`trail load\n${rows.join("\n")}\n`);
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const arg = (name: string) => process.argv[process.argv.indexOf(name) + 1];
  const events = process.argv.includes("--events") ? Number(arg("--events")) : 1_000_000;
  const dir = process.argv.includes("--dir") ? arg("--dir") : undefined;
  if (!Number.isInteger(events) || events < 1) throw new Error("--events takes a whole number");
  await benchTrailLoad({ events, ...(dir ? { dir: path.resolve(dir) } : {}) });
}
