/**
 * Pins `catdata audit`, on a trail written into an encrypted local store:
 * - `audit verify` finds the public key in <home>/keys, says "verified" (exit 0); after a log file
 *   is deleted it names it under DELETED and fails with exit code 1; `--json` prints the report
 * - `audit export <folder>` writes the trail in the S3 layout
 * - `audit load` loads it into the trail lake (records counted, digest recognised)
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { Command } from "commander";
import { beforeAll, describe, expect, it } from "vitest";
import { buildRecord } from "../../audit/build-record.js";
import { openAuditTrail } from "../../audit/open-audit-trail.js";
import { loadConfig } from "../../config/config.js";
import { DataDir } from "../../local/data-dir.js";
import { silentLogger } from "../../log/logger.js";
import { manualClock, storeOnClock, testSigningKey } from "../../testing/audit.js";
import { tempDir } from "../../testing/fixtures.js";
import type { CliContext } from "../context.js";
import { registerAuditCommands } from "./audit.js";

const home = tempDir();
const clock = manualClock();
const store = storeOnClock(clock);

function harness() {
  const out = new PassThrough();
  const text = { out: "" };
  out.on("data", (chunk: Buffer) => {
    text.out += chunk.toString();
  });
  const context: CliContext = {
    config: loadConfig({ CATDATA_HOME: home }, os.tmpdir()),
    logger: silentLogger,
    out,
    err: new PassThrough(),
    interactive: false,
  };
  const program = new Command("catdata").exitOverride();
  registerAuditCommands(
    program,
    () => context,
    (_ctx, fn) => fn(store),
  );
  return { run: (...args: string[]) => program.parseAsync(args, { from: "user" }), text };
}

beforeAll(async () => {
  const { keys } = new DataDir(home);
  mkdirSync(path.dirname(keys.trailSigningPublic), { recursive: true });
  writeFileSync(keys.trailSigningPublic, testSigningKey().publicKeyPem);
  const recorder = await openAuditTrail({
    ...{ store, accountId: "123456789012", region: "ap-northeast-1", signingKey: testSigningKey() },
    ...{ now: clock.now, timers: clock.timers },
  });
  for (const id of ["a", "b"]) {
    const call = { time: clock.now(), method: "GET", routePattern: "/cats", path: "/cats", status: 200 };
    const rest = { query: {}, params: {}, body: undefined, response: undefined, error: undefined, requestId: id };
    const who = { sourceIp: "127.0.0.1", userAgent: "t", user: { sub: "s", username: "ana" }, tls: undefined };
    recorder.record(buildRecord({ ...call, ...rest, ...who }, recorder.settings));
    await recorder.deliver();
  }
  await recorder.close();
});

describe("catdata audit", () => {
  it("exports the trail to a folder and loads it into the lake", async () => {
    const folder = tempDir();
    const cli = harness();
    await cli.run("audit", "export", folder);
    expect(cli.text.out).toBe(`exported 3 files to ${folder}\n`);
    expect(existsSync(path.join(folder, "AWSLogs", "123456789012", "CloudTrail-Digest"))).toBe(true);
    await cli.run("audit", "load", "--json");
    expect(JSON.parse(cli.text.out.slice(cli.text.out.indexOf("{")))).toMatchObject({
      filesLoaded: 3,
      recordsLoaded: 2,
      digestFiles: 1,
    });
  });

  it("verifies the trail, then names a deleted file and fails", async () => {
    const ok = harness();
    await ok.run("audit", "verify");
    expect(ok.text.out).toMatch(/: verified\n.*signatures: 1 valid, 0 invalid/s);
    const [first] = await store.list("AWSLogs/123456789012/CloudTrail/");
    await store.delete(first?.key ?? "");
    const bad = harness();
    await expect(bad.run("audit", "verify")).rejects.toMatchObject({ exitCode: 1 });
    expect(bad.text.out).toContain(`DELETED (1):\n    log file ${first?.key}`);
    const json = harness();
    await expect(json.run("audit", "verify", "--json")).rejects.toThrow("did not verify");
    expect(JSON.parse(json.text.out)).toMatchObject({ ok: false, deleted: [{ key: first?.key }] });
  });
});
