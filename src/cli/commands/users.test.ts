/**
 * Pins `catdata users`:
 * - add prints a generated password once and refuses a bad group (usage error) or a staff user
 *   without a municipality; list shows users as a table or JSON, with the lock-out end
 * - passwd sets a password that then signs in; disable/enable toggle sign-in
 * - unlock lifts the lock-out of a username (or of a source IP with --ip) at once
 * - rotate-keys publishes a second key in the JWKS, signing after the lead
 */
import os from "node:os";
import { PassThrough } from "node:stream";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { LocalUserPool } from "../../auth/local-user-pool.js";
import { TokenIssuer } from "../../auth/tokens.js";
import { loadConfig } from "../../config/config.js";
import { LocalKeyStore } from "../../keys/local-key-store.js";
import { DataDir } from "../../local/data-dir.js";
import { silentLogger } from "../../log/logger.js";
import { TEST_LOCKOUT } from "../../testing/auth.js";
import { tempDir } from "../../testing/fixtures.js";
import type { CliContext } from "../context.js";
import { registerUsersCommands } from "./users.js";

function harness() {
  const dir = new DataDir(tempDir("catdata-cli-users-"));
  const out = new PassThrough();
  const text = { out: "" };
  out.on("data", (chunk: Buffer) => {
    text.out += chunk.toString();
  });
  const context: CliContext = {
    config: loadConfig({ CATDATA_HOME: dir.root }, os.tmpdir()),
    logger: silentLogger,
    out,
    err: new PassThrough(),
    interactive: false,
  };
  const program = new Command("catdata").exitOverride();
  registerUsersCommands(program, () => context);
  const run = async (...args: string[]) => {
    text.out = "";
    await program.parseAsync(["users", ...args], { from: "user" });
    return text.out;
  };
  return { dir, run };
}

describe("catdata users", () => {
  it("adds, lists, changes passwords, disables and enables users", async () => {
    const { dir, run } = harness();
    const added = await run("add", "ana", "--group", "analyst");
    const password = added.match(/password \(shown once\): (\S+)/)?.[1] ?? "";
    expect(added).toMatch(/^created ana \(analyst\)/);
    await expect(run("add", "bob", "--group", "boss")).rejects.toMatchObject({ exitCode: 2 });
    await expect(run("add", "bob", "--group", "staff")).rejects.toMatchObject({ code: "BAD_INPUT" });
    await run("add", "sam", "--group", "staff", "--municipality", "131041");
    expect(await run("list")).toMatch(/sam\s+staff\s+131041\s+true/);
    const pool = new LocalUserPool(dir, { lockout: TEST_LOCKOUT });
    expect((await pool.authenticate("ana", password)).username).toBe("ana");
    const changed = (await run("passwd", "ana")).match(/new password \(shown once\): (\S+)/)?.[1] ?? "";
    expect((await pool.authenticate("ana", changed)).username).toBe("ana");
    expect(await run("disable", "ana")).toBe("disabled ana\n");
    await expect(pool.authenticate("ana", changed)).rejects.toMatchObject({ auditCode: "UserDisabled" });
    await run("enable", "ana");
    const listed = JSON.parse(await run("list", "--json")) as { username: string; enabled: boolean }[];
    expect(listed.map((u) => [u.username, u.enabled])).toEqual([
      ["ana", true],
      ["sam", true],
    ]);
  });

  it("unlocks a locked-out username or source IP", async () => {
    const { dir, run } = harness();
    const pool = new LocalUserPool(dir, { lockout: TEST_LOCKOUT });
    for (let i = 0; i < 5; i++) await pool.lockout.recordFailure("ana", "203.0.113.5");
    expect(await pool.lockout.lockedUntil(["user:ana"])).not.toBeNull();
    expect(await run("unlock", "ana")).toBe("unlocked ana\n");
    expect(await pool.lockout.lockedUntil(["user:ana"])).toBeNull();
    expect(await run("unlock", "--ip", "203.0.113.5")).toBe("unlocked source IP 203.0.113.5\n");
    expect(await run("unlock", "ana")).toBe("ana had no failed sign-ins to forget\n");
    await expect(run("unlock")).rejects.toMatchObject({ exitCode: 2 });
  });

  it("rotates the signing keys", async () => {
    const { dir, run } = harness();
    const issuer = await TokenIssuer.open(new LocalKeyStore(dir), "http://127.0.0.1:8501/api");
    const output = await run("rotate-keys");
    expect(output).toMatch(/^new signing key [0-9a-f-]{36} published; it signs from \d{4}-\d\d-\d\dT/);
    expect(output).toMatch(/keys in the JWKS: 2/);
    await issuer.reload();
    expect(issuer.jwks().keys).toHaveLength(2);
  });
});
