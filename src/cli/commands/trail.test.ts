/**
 * Pins the trail CLI: `trail load` prints a readable summary (files, records, unreadable files
 * with reasons) or JSON, draws progress only when interactive; it also loads an s3:// URL (from
 * s3rver) and the LookupEvents API (mocked), printing notices, and refuses a missing or doubled
 * source; `trail verify` says verified or lists what failed, as text or JSON, failing with exit
 * code 1; `trail lookup` prints a table or JSON, filters by the options, hints at the next page;
 * bad options fail as CLI errors; `mcp` is registered.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { gzipSync } from "node:zlib";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { Command } from "commander";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../config/config.js";
import { DataDir } from "../../local/data-dir.js";
import { silentLogger } from "../../log/logger.js";
import { freePort } from "../../testing/free-port.js";
import type { CliContext } from "../context.js";
import { registerMcpCommand, registerTrailCommands } from "./trail.js";

function harness(dataDir: DataDir, interactive = false) {
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
    config: loadConfig({ CATDATA_HOME: dataDir.root }, os.tmpdir()),
    logger: silentLogger,
    out,
    err,
    interactive,
  };
  const program = new Command("catdata").exitOverride();
  registerTrailCommands(program, () => context);
  registerMcpCommand(program, () => context);
  return { run: (...args: string[]) => program.parseAsync(args, { from: "user" }), text, program };
}

describe("catdata trail", () => {
  const dataDir = new DataDir(mkdtempSync(path.join(os.tmpdir(), "catdata-cli-")));
  const folder = mkdtempSync(path.join(os.tmpdir(), "catdata-cli-src-"));
  beforeAll(() => {
    const records = ["CreateUser", "ListBuckets", "DeleteTrail"].map((eventName, i) => ({
      eventVersion: "1.08",
      eventID: `e${i}`,
      eventTime: `2024-05-01T10:00:0${i}Z`,
      eventSource: "iam.amazonaws.com",
      eventName,
      sourceIPAddress: "198.51.100.4",
      ...(eventName === "DeleteTrail" ? { errorCode: "AccessDenied" } : {}),
      userIdentity: { type: "IAMUser", userName: i === 0 ? "admin" : "mallory", accountId: "111122223333" },
    }));
    writeFileSync(path.join(folder, "trail.json"), JSON.stringify({ Records: records }));
    writeFileSync(path.join(folder, "broken.json"), '{"Records": [');
  });

  it("loads a folder and summarises it, naming unreadable files and why", async () => {
    const { run, text } = harness(dataDir);
    await run("trail", "load", folder);
    expect(text.out).toContain("Loaded 1 of 2 files (3 records)");
    expect(text.out).toMatch(/unreadable: 1 file\n\s+broken\.json: invalid JSON/);
    expect(text.err).toBe("");
    const again = harness(dataDir);
    await again.run("trail", "load", folder, "--json");
    expect(JSON.parse(again.text.out)).toMatchObject({
      filesSeen: 2,
      filesLoaded: 0,
      filesSkipped: 1,
      recordsLoaded: 0,
    });
  });

  it("draws a progress bar on stderr only when interactive", async () => {
    const { run, text } = harness(new DataDir(mkdtempSync(path.join(os.tmpdir(), "catdata-cli-tty-"))), true);
    await run("trail", "load", folder);
    expect(text.err).toContain("files");
    expect(text.out).toContain("Loaded 1 of 2 files");
  });

  it("looks events up as a table, or as JSON, with filters", async () => {
    const table = harness(dataDir);
    await table.run("trail", "lookup", "--username", "mallory");
    const lines = table.text.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^TIME \(UTC\)\s+EVENT\s+PRINCIPAL\s+SOURCE IP\s+ERROR$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 3))).toEqual([
      ["2024-05-01T10:00:02Z", "iam:DeleteTrail", "iam-user:111122223333/mallory"],
      ["2024-05-01T10:00:01Z", "iam:ListBuckets", "iam-user:111122223333/mallory"],
    ]);
    expect(lines[1]).toMatch(/AccessDenied$/);
    const json = harness(dataDir);
    await json.run("trail", "lookup", "--event-name", "CreateUser", "--json");
    expect(JSON.parse(json.text.out).events.map((e: { Username: string }) => e.Username)).toEqual(["admin"]);
  });

  it("hints at the next page, and rejects a bad --max", async () => {
    const paged = harness(dataDir);
    await paged.run("trail", "lookup", "--max", "1");
    expect(paged.text.err).toMatch(/^more events: add --next-token \S+\n$/);
    await expect(harness(dataDir).run("trail", "lookup", "--max", "ten")).rejects.toThrow(
      /--max must be a whole number/,
    );
    await expect(harness(dataDir).run("trail", "lookup", "--max", "99")).rejects.toThrow(
      /maxResults must be an integer from 1 to 50/,
    );
  });

  it("registers the mcp command", () => {
    const { program } = harness(dataDir);
    expect(program.commands.map((c) => c.name())).toEqual(["trail", "mcp"]);
  });

  it("refuses a load without a source, or with both a source and --lookup", async () => {
    await expect(harness(dataDir).run("trail", "load")).rejects.toThrow(
      /give a folder, an s3:\/\/bucket\/prefix, or --lookup/,
    );
    await expect(harness(dataDir).run("trail", "load", folder, "--lookup")).rejects.toThrow(/not both/);
    await expect(harness(dataDir).run("trail", "load", folder, "--since", "2024-01-01")).rejects.toThrow(/s3:\/\//);
  });
});

const record = (id: string) => ({
  eventVersion: "1.08",
  eventID: id,
  eventTime: "2024-05-01T10:00:00Z",
  eventName: "ListBuckets",
});

describe("catdata trail load from S3 and LookupEvents", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("loads an s3:// URL, then skips it", async () => {
    type S3rver = new (o: object) => { run(): Promise<unknown>; close(): Promise<unknown> };
    const S3rverClass = createRequire(import.meta.url)("s3rver") as S3rver;
    const port = await freePort();
    const server = new S3rverClass({
      port,
      address: "127.0.0.1",
      silent: true,
      directory: mkdtempSync(path.join(os.tmpdir(), "s3rver-")),
    });
    await server.run();
    try {
      const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
      vi.stubEnv("AWS_ACCESS_KEY_ID", credentials.accessKeyId);
      vi.stubEnv("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey);
      const endpoint = `http://127.0.0.1:${port}`;
      const s3 = new S3Client({
        endpoint,
        region: "us-east-1",
        forcePathStyle: true,
        credentials,
        requestChecksumCalculation: "WHEN_REQUIRED",
      });
      await s3.send(new CreateBucketCommand({ Bucket: "cli-trail" }));
      const Key = "AWSLogs/1/CloudTrail/us-east-1/2024/05/01/1_CloudTrail_us-east-1_20240501T1000Z_a.json.gz";
      await s3.send(
        new PutObjectCommand({
          Bucket: "cli-trail",
          Key,
          Body: gzipSync(JSON.stringify({ Records: [record("s1"), record("s2")] })),
        }),
      );
      s3.destroy();
      const cliDataDir = new DataDir(mkdtempSync(path.join(os.tmpdir(), "catdata-cli-s3-")));
      const args = ["trail", "load", "s3://cli-trail/AWSLogs/", "--region", "us-east-1", "--endpoint-url", endpoint];
      const first = harness(cliDataDir);
      await first.run(...args);
      expect(first.text.out).toContain("Loaded 1 of 1 files (2 records) from s3://cli-trail/AWSLogs/");
      const again = harness(cliDataDir);
      await again.run(...args, "--since", "2024-05-01", "--json");
      expect(JSON.parse(again.text.out)).toMatchObject({ filesSeen: 1, filesLoaded: 0, unchangedObjects: 1 });
    } finally {
      await server.close();
    }
  });

  it("loads LookupEvents with --lookup, with a notice when the start is too old", async () => {
    const cloudtrail = mockClient(CloudTrailClient);
    try {
      const event = (id: string) => ({
        EventId: id,
        CloudTrailEvent: JSON.stringify({ ...record(id), eventTime: new Date().toISOString() }),
      });
      cloudtrail.on(LookupEventsCommand).resolves({ Events: [event("l1"), event("l2")] });
      const { run, text } = harness(new DataDir(mkdtempSync(path.join(os.tmpdir(), "catdata-cli-lookup-"))));
      await run("trail", "load", "--lookup", "--region", "eu-west-3", "--start", "2000-01-01T00:00:00Z");
      expect(text.out).toMatch(/^Loaded 2 of 2 events from LookupEvents in eu-west-3\n/);
      expect(text.err).toMatch(/^notice: LookupEvents keeps 90 days: start moved from 2000-01-01T00:00:00.000Z/);
      expect(cloudtrail.commandCalls(LookupEventsCommand)).toHaveLength(1);
    } finally {
      cloudtrail.restore();
    }
  });
});

describe("catdata trail verify", () => {
  it("says verified, or lists what failed and exits with 1", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "catdata-cli-verify-"));
    const logKey = "AWSLogs/1/CloudTrail/us-east-1/2024/05/01/1_CloudTrail_us-east-1_20240501T1000Z_a.json.gz";
    const digestKey =
      "AWSLogs/1/CloudTrail-Digest/us-east-1/2024/05/01/1_CloudTrail-Digest_us-east-1_t_us-east-1_20240501T110000Z.json.gz";
    const json = JSON.stringify({ Records: [record("v1")] });
    const digest = {
      digestStartTime: "2024-05-01T10:00:00Z",
      digestEndTime: "2024-05-01T11:00:00Z",
      digestS3Bucket: "b",
      digestS3Object: digestKey,
      previousDigestS3Object: null,
      logFiles: [
        {
          s3Bucket: "b",
          s3Object: logKey,
          hashValue: createHash("sha256").update(json).digest("hex"),
          hashAlgorithm: "SHA-256",
        },
      ],
    };
    for (const [key, body] of [
      [logKey, json],
      [digestKey, JSON.stringify(digest)],
    ] as const) {
      mkdirSync(path.dirname(path.join(root, key)), { recursive: true });
      writeFileSync(path.join(root, key), gzipSync(body));
    }
    const good = harness(new DataDir(root));
    await good.run("trail", "verify", root);
    expect(good.text.out).toMatch(/: verified\n/);
    expect(good.text.out).toContain("signature not checked");
    writeFileSync(path.join(root, logKey), gzipSync(json.replace("v1", "v2")));
    const bad = harness(new DataDir(root));
    await expect(bad.run("trail", "verify", root, "--json")).rejects.toMatchObject({ exitCode: 1 });
    expect(JSON.parse(bad.text.out)).toMatchObject({ ok: false, modified: [{ path: logKey }] });
  });
});
