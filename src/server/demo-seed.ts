import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { generatePassword } from "../auth/password.js";
import type { UserPool } from "../auth/user-pool.js";
import { DEFAULT_DEMO_OPTIONS, generateDemoData } from "../demo/generate.js";
import { writeDemoFiles } from "../demo/write-demo-files.js";
import { ingestFile } from "../etl/ingest.js";
import type { Runtime } from "../runtime.js";

export interface SeedResult {
  adminUsername: string;
  /** Set only when the admin was created now: it is printed once and never stored in clear. */
  adminPassword: string | undefined;
  jobs: number;
  records: number;
}

export interface SeedOptions {
  demoData: boolean;
  /**
   * Whether the local user pool is the one users sign in with: only then is a first admin created (and its
   * password printed). false with Cognito (CATDATA_USER_POOL_ID), whose users are managed there.
   */
  createAdmin: boolean;
}

/**
 * First start: creates the demo admin (random password) when the local pool signs users in and is
 * empty, and loads the demo municipalities' template files through the normal upload pipeline when
 * no job has run yet.
 */
export async function ensureDemo(runtime: Runtime, users: UserPool, options: SeedOptions): Promise<SeedResult> {
  const result: SeedResult = { adminUsername: "admin", adminPassword: undefined, jobs: 0, records: 0 };
  if (options.createAdmin && (await users.list()).length === 0) {
    result.adminPassword = generatePassword();
    await users.create({ username: "admin", password: result.adminPassword, groups: ["admin"] });
  }
  if (!options.demoData || (await runtime.jobs.list()).length > 0) return result;
  const dir = await mkdtemp(path.join(os.tmpdir(), "catdata-demo-"));
  try {
    const files = await writeDemoFiles(dir, generateDemoData(DEFAULT_DEMO_OPTIONS));
    for (const file of files) {
      const municipality = /^demo-([0-9a-z]+)-/.exec(path.basename(file))?.[1];
      const job = await ingestFile(runtime, file, municipality ? { municipality } : {});
      if (job.status !== "succeeded") {
        runtime.logger.warn({ file, status: job.status, error: job.error }, "demo file did not load");
        continue;
      }
      result.jobs += 1;
      result.records += Object.values(job.loadedByDataset).reduce((s, n) => s + (n ?? 0), 0);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return result;
}
