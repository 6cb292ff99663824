import type { Command } from "commander";
import { generatePassword } from "../../auth/password.js";
import { TokenIssuer } from "../../auth/tokens.js";
import { GROUPS, type Group } from "../../auth/user-pool.js";
import { createKeyStore, createUserPool } from "../../runtime.js";
import { type CliContext, CliError, type GetContext } from "../context.js";
import { table } from "../format.js";

const pool = (ctx: CliContext) => createUserPool(ctx.config);

/**
 * `catdata users add|list|passwd|disable|enable|unlock|rotate-keys`: the local user pool (the Cognito
 * role) and its signing keys. The running server sees every change: it reads the same files.
 */
export function registerUsersCommands(program: Command, getContext: GetContext): void {
  const users = program.command("users").description("manage the local user pool (cat-data-users)");
  users
    .command("add")
    .description("create a user; prints a generated password unless --password-stdin is given")
    .argument("<username>")
    .requiredOption("-g, --group <group>", `one of ${GROUPS.join(", ")}`)
    .option("-m, --municipality <code>", "the municipality a staff user belongs to")
    .option("--password-stdin", "read the password from standard input")
    .action(async (username: string, opts: { group: string; municipality?: string; passwordStdin?: boolean }) => {
      const ctx = getContext();
      if (!(GROUPS as readonly string[]).includes(opts.group))
        throw new CliError(`--group must be one of ${GROUPS.join(", ")}`, 2);
      // A staff user's municipality is checked as an upload's is (same directory, same reasons).
      if (opts.municipality !== undefined) ctx.config.municipalities.require(opts.municipality);
      const password = opts.passwordStdin ? await readStdin() : generatePassword();
      const user = await pool(ctx).create({
        username,
        password,
        groups: [opts.group as Group],
        municipality: opts.municipality ?? null,
      });
      ctx.out.write(
        `created ${user.username} (${user.groups.join(", ")}${user.municipality ? `, ${user.municipality}` : ""})\n`,
      );
      if (!opts.passwordStdin) ctx.out.write(`password (shown once): ${password}\n`);
    });
  users
    .command("passwd")
    .description(
      "set a new password (generated and printed unless --password-stdin is given); ends the user's sessions",
    )
    .argument("<username>")
    .option("--password-stdin", "read the password from standard input")
    .action(async (username: string, opts: { passwordStdin?: boolean }) => {
      const ctx = getContext();
      const password = opts.passwordStdin ? await readStdin() : generatePassword();
      await pool(ctx).setPassword(username, password);
      ctx.out.write(
        `password of ${username} changed${opts.passwordStdin ? "" : `; new password (shown once): ${password}`}\n`,
      );
    });
  users
    .command("disable")
    .description(
      "disable a user (sign-in and refresh refused; issued access tokens expire within 1 h); `enable` undoes it",
    )
    .argument("<username>")
    .action(async (username: string) => {
      const ctx = getContext();
      await pool(ctx).setEnabled(username, false);
      ctx.out.write(`disabled ${username}\n`);
    });
  users
    .command("enable")
    .description("enable a disabled user")
    .argument("<username>")
    .action(async (username: string) => {
      const ctx = getContext();
      await pool(ctx).setEnabled(username, true);
      ctx.out.write(`enabled ${username}\n`);
    });
  users
    .command("unlock")
    .description("lift a lock-out after repeated failed sign-ins now (of a username, or of a source IP with --ip)")
    .argument("[username]")
    .option("--ip <address>", "unlock a source IP instead")
    .action(async (username: string | undefined, opts: { ip?: string }) => {
      const ctx = getContext();
      if (!username && !opts.ip) throw new CliError("name a username, or a source IP with --ip", 2);
      const users = pool(ctx);
      const what = opts.ip ? `source IP ${opts.ip}` : `${username}`;
      const had = opts.ip ? await users.unlockIp(opts.ip) : await users.unlock(username ?? "");
      ctx.out.write(had ? `unlocked ${what}\n` : `${what} had no failed sign-ins to forget\n`);
    });
  users
    .command("rotate-keys")
    .description("publish a new token signing key; it signs after 5 minutes, old keys go when their tokens expire")
    .action(async () => {
      const ctx = getContext();
      const keys = createKeyStore(ctx.config);
      const issuer = await TokenIssuer.open(keys, `http://${ctx.config.host}:${ctx.config.port}/api`);
      const r = await issuer.rotate();
      ctx.out.write(
        `new signing key ${r.kid} published; it signs from ${r.signsFrom.toISOString()}\n` +
          `keys in the JWKS: ${r.published.length}${r.dropped.length ? `; dropped (all their tokens expired): ${r.dropped.join(", ")}` : ""}\n`,
      );
    });
  users
    .command("list")
    .description("list users")
    .option("--json", "print as JSON")
    .action(async (opts: { json?: boolean }) => {
      const ctx = getContext();
      const list = await pool(ctx).list();
      if (opts.json) return void ctx.out.write(`${JSON.stringify(list, null, 2)}\n`);
      ctx.out.write(
        table(
          list.map((u) => ({
            username: u.username,
            groups: u.groups.join(","),
            municipality: u.municipality ?? "",
            enabled: u.enabled,
            "locked until": u.lockedUntil ?? "",
            created: u.createdAt,
          })),
        ),
      );
    });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8").trim();
}
