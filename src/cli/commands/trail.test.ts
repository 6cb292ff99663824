/**
 * Pins the trail CLI: `trail load` prints a readable summary (files, records, unreadable files
 * with reasons) or JSON, draws progress only when interactive; `trail lookup` prints a table or
 * JSON, filters by the options, hints at the next page; bad options fail as CLI errors; `mcp`
 * is registered.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { Command } from "commander";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../config/config.js";
import { silentLogger } from "../../log/logger.js";
import type { CliContext } from "../context.js";
import { registerMcpCommand, registerTrailCommands } from "./trail.js";

function harness(home: string, interactive = false) {
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
    config: loadConfig({ CATDATA_HOME: home }, os.tmpdir()),
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
  const home = mkdtempSync(path.join(os.tmpdir(), "catdata-cli-"));
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
    const { run, text } = harness(home);
    await run("trail", "load", folder);
    expect(text.out).toContain("Loaded 1 of 2 files (3 records)");
    expect(text.out).toMatch(/unreadable: 1 file\n\s+broken\.json: invalid JSON/);
    expect(text.err).toBe("");
    const again = harness(home);
    await again.run("trail", "load", folder, "--json");
    expect(JSON.parse(again.text.out)).toMatchObject({
      filesSeen: 2,
      filesLoaded: 0,
      filesSkipped: 1,
      recordsLoaded: 0,
    });
  });

  it("draws a progress bar on stderr only when interactive", async () => {
    const { run, text } = harness(mkdtempSync(path.join(os.tmpdir(), "catdata-cli-tty-")), true);
    await run("trail", "load", folder);
    expect(text.err).toContain("files");
    expect(text.out).toContain("Loaded 1 of 2 files");
  });

  it("looks events up as a table, or as JSON, with filters", async () => {
    const table = harness(home);
    await table.run("trail", "lookup", "--username", "mallory");
    const lines = table.text.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^TIME \(UTC\)\s+EVENT\s+PRINCIPAL\s+SOURCE IP\s+ERROR$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 3))).toEqual([
      ["2024-05-01T10:00:02Z", "iam:DeleteTrail", "iam-user:111122223333/mallory"],
      ["2024-05-01T10:00:01Z", "iam:ListBuckets", "iam-user:111122223333/mallory"],
    ]);
    expect(lines[1]).toMatch(/AccessDenied$/);
    const json = harness(home);
    await json.run("trail", "lookup", "--event-name", "CreateUser", "--json");
    expect(JSON.parse(json.text.out).events.map((e: { Username: string }) => e.Username)).toEqual(["admin"]);
  });

  it("hints at the next page, and rejects a bad --max", async () => {
    const paged = harness(home);
    await paged.run("trail", "lookup", "--max", "1");
    expect(paged.text.err).toMatch(/^more events: add --next-token \S+\n$/);
    await expect(harness(home).run("trail", "lookup", "--max", "ten")).rejects.toThrow(/--max must be a whole number/);
    await expect(harness(home).run("trail", "lookup", "--max", "99")).rejects.toThrow(
      /maxResults must be an integer from 1 to 50/,
    );
  });

  it("registers the mcp command", () => {
    const { program } = harness(home);
    expect(program.commands.map((c) => c.name())).toEqual(["trail", "mcp"]);
  });
});
