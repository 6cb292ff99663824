import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "./free-port.js";

/**
 * A throwaway PostgreSQL cluster for tests: initdb in a temp dir, listening on 127.0.0.1 only (and a
 * Unix socket in that dir), a fresh database, password (SCRAM) authentication; `stop()` stops it
 * and removes the dir. Uses the server binaries of Debian's `postgresql` package
 * (/usr/lib/postgresql/<version>/bin) or CATDATA_PG_BIN. PostgreSQL refuses to run as root, so as
 * root every server command runs as the `postgres` system user through `runuser -u postgres --`,
 * in a dir that user owns.
 */
const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;

function findBinDir(): string | undefined {
  if (process.env.CATDATA_PG_BIN) return process.env.CATDATA_PG_BIN;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], "bin") : undefined;
}

function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    const [uid, gid] = ["-u", "-g"].map((flag) => Number(execFileSync("id", [flag, "postgres"]).toString().trim()));
    return { uid: uid!, gid: gid! };
  } catch {
    return undefined;
  }
}

const binDir = findBinDir();
const owner = isRoot ? postgresUser() : undefined;

/** Why the Postgres tests cannot run here, or undefined when they can. */
export const postgresSkipReason: string | undefined = !binDir
  ? "PostgreSQL server binaries not found (install Debian's `postgresql` package or set CATDATA_PG_BIN)"
  : isRoot && !owner
    ? "running as root and there is no `postgres` system user to run the server as"
    : undefined;
export const hasPostgres = postgresSkipReason === undefined;

export interface TestPostgres {
  /** postgres://catdata:<password>@127.0.0.1:<port>/<database> */
  url: string;
  port: number;
  database: string;
  password: string;
  stop(): Promise<void>;
}

const server = (bin: string, args: string[]) =>
  isRoot
    ? run("runuser", ["-u", "postgres", "--", path.join(binDir!, bin), ...args], { timeout: 60_000 })
    : run(path.join(binDir!, bin), args, { timeout: 60_000 });

export async function startPostgres(database = "catdata_test"): Promise<TestPostgres> {
  if (postgresSkipReason) throw new Error(postgresSkipReason);
  // /tmp is world-traversable; a TMPDIR under /root may not be, and the server user must reach it.
  const dir = mkdtempSync(path.join(isRoot ? "/tmp" : os.tmpdir(), "catdata-pg-"));
  const data = path.join(dir, "data");
  const password = `pw-${Math.random().toString(36).slice(2)}'"; x`;
  writeFileSync(path.join(dir, "pwfile"), `${password}\n`);
  if (owner) for (const p of [dir, path.join(dir, "pwfile")]) chownSync(p, owner.uid, owner.gid);
  const stop = async () => {
    await server("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const init = ["-D", data, "-U", "catdata", `--pwfile=${path.join(dir, "pwfile")}`, "--auth=scram-sha-256"];
    await server("initdb", [...init, "--no-sync", "-E", "UTF8", "--locale=C", "--no-instructions"]);
    const port = await freePort();
    const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await server("pg_ctl", ["-D", data, "-l", path.join(dir, "server.log"), "-w", "-t", "30", "-o", options, "start"]);
    const url = `postgres://catdata:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    const admin = new pg.Client({ connectionString: `${url}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
    await admin.end();
    return { url: `${url}/${encodeURIComponent(database)}`, port, database, password, stop };
  } catch (error) {
    const log = existsSync(path.join(dir, "server.log")) ? readFileSync(path.join(dir, "server.log"), "utf8") : "";
    await stop();
    throw new Error(`could not start PostgreSQL: ${(error as Error).message}\n${log.slice(-2000)}`);
  }
}
