/**
 * Pins that the audit trail survives `kill -9`, with the REAL server process (`src/server.ts`):
 * - a sign-in, an upload and polls of its job are answered; the server is killed with SIGKILL right
 *   after the last response, long before the minute's delivery
 * - the records are on disk at that moment (the spool), and the next start delivers them into the
 *   trail before it says it is running: every call is found there (Login, CreateUpload with the
 *   upload's object key, each GetUpload), each exactly once, and the spool is empty again
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import type { AuditRecord } from "../audit/record.js";
import { loadConfig } from "../config/config.js";
import { DataDir } from "../local/data-dir.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime } from "../runtime.js";
import { tempDir } from "../testing/fixtures.js";
import { freePort } from "../testing/free-port.js";

const POLLS = 5;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

function start(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("src/server.ts")], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 90_000);
    const check = () => {
      if (/Press Ctrl-C to stop/.test(output)) {
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", () => reject(new Error(`server exited:\n${output}`)));
  });
}

describe("audit trail and kill -9", () => {
  it("loses no record of calls answered just before the process was killed", async () => {
    const dir = tempDir("catdata-audit-crash-");
    const home = path.join(dir, "home");
    const port = await freePort();
    const env = {
      ...process.env,
      CATDATA_HOME: home,
      CATDATA_KEY_FILE: path.join(dir, "master.key"),
      CATDATA_PORT: String(port),
      CATDATA_HEALTH_PORT: String(await freePort()),
      CATDATA_DEMO: "false",
      CATDATA_LOG_LEVEL: "warn",
    };
    const first = await start(env);
    const password = first.output().match(/password:\s*\n\s*(\S+)/)?.[1] ?? "";
    const base = `http://127.0.0.1:${port}/api`;
    const login = await fetch(`${base}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password }),
    });
    expect(login.status).toBe(200);
    const { idToken } = (await login.json()) as { idToken: string };
    const auth = { authorization: `Bearer ${idToken}` };
    const csv = "animal_id,intake_date,intake_type\nA1,2024-04-02,stray\nA2,2024-04-03,owner_surrender\n";
    const upload = await fetch(`${base}/uploads?filename=intakes.csv&municipality=131041`, {
      method: "POST",
      headers: { ...auth, "content-type": "text/csv" },
      body: csv,
    });
    expect(upload.status).toBe(202);
    const { jobId, key } = (await upload.json()) as { jobId: string; key: string };
    for (let i = 0; i < POLLS; i += 1) {
      expect((await fetch(`${base}/uploads/${jobId}`, { headers: auth })).status).toBe(200);
    }
    const exited = new Promise((resolve) => first.child.once("exit", resolve));
    first.child.kill("SIGKILL");
    await exited;

    const spool = new DataDir(home).auditSpool;
    const segments = () => readdirSync(spool).filter((f) => f.endsWith(".jsonl"));
    const spooled = segments().flatMap((f) => readFileSync(path.join(spool, f), "utf8").split("\n").filter(Boolean));
    expect(spooled.length).toBe(2 + POLLS);

    const second = await start(env);
    expect(segments(), "delivered at start-up").toEqual([]);
    const stopped = new Promise((resolve) => second.child.once("exit", resolve));
    second.child.kill("SIGINT");
    await stopped;

    const runtime = await openRuntime(loadConfig(env), silentLogger);
    try {
      const records: AuditRecord[] = [];
      for (const v of await runtime.store.list("AWSLogs/")) {
        if (v.key.includes("CloudTrail-Digest")) continue;
        const json = gunzipSync(await runtime.store.get(v.key)).toString("utf8");
        records.push(...(JSON.parse(json) as { Records: AuditRecord[] }).Records);
      }
      const names = records.map((r) => r.eventName);
      expect(names.filter((n) => n === "Login")).toHaveLength(1);
      expect(names.filter((n) => n === "CreateUpload")).toHaveLength(1);
      expect(names.filter((n) => n === "GetUpload")).toHaveLength(POLLS);
      expect(records.find((r) => r.eventName === "CreateUpload")?.responseElements).toMatchObject({ jobId, key });
      expect(new Set(records.map((r) => r.eventID)).size).toBe(records.length);
    } finally {
      await runtime.close();
    }
  }, 240_000);
});
