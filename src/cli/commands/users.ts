import type { Command } from "commander";
import { generatePassword } from "../../auth/password.js";
import { GROUPS, type Group, LocalUserPool } from "../../auth/user-pool.js";
import { CliError, type GetContext } from "../context.js";
import { table } from "../format.js";

/** `catdata users add|list`: the local user pool (the Cognito role). */
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
      const password = opts.passwordStdin ? await readStdin() : generatePassword();
      const user = await new LocalUserPool(ctx.config.home).create({
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
    .description("set a new password (generated and printed unless --password-stdin is given)")
    .argument("<username>")
    .option("--password-stdin", "read the password from standard input")
    .action(async (username: string, opts: { passwordStdin?: boolean }) => {
      const ctx = getContext();
      const password = opts.passwordStdin ? await readStdin() : generatePassword();
      await new LocalUserPool(ctx.config.home).setPassword(username, password);
      ctx.out.write(
        `password of ${username} changed${opts.passwordStdin ? "" : `; new password (shown once): ${password}`}\n`,
      );
    });
  users
    .command("disable")
    .description("disable a user (sign-in refused); `enable` undoes it")
    .argument("<username>")
    .action(async (username: string) => {
      await new LocalUserPool(getContext().config.home).setEnabled(username, false);
      getContext().out.write(`disabled ${username}\n`);
    });
  users
    .command("enable")
    .argument("<username>")
    .action(async (username: string) => {
      await new LocalUserPool(getContext().config.home).setEnabled(username, true);
      getContext().out.write(`enabled ${username}\n`);
    });
  users
    .command("list")
    .description("list users")
    .option("--json", "print as JSON")
    .action(async (opts: { json?: boolean }) => {
      const ctx = getContext();
      const list = await new LocalUserPool(ctx.config.home).list();
      if (opts.json) return void ctx.out.write(`${JSON.stringify(list, null, 2)}\n`);
      ctx.out.write(
        table(
          list.map((u) => ({
            username: u.username,
            groups: u.groups.join(","),
            municipality: u.municipality ?? "",
            enabled: u.enabled,
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
