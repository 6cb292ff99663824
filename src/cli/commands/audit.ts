import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { exportTrail, storeTrailSource } from "../../audit/store-source.js";
import { verifyStoreTrail } from "../../audit/verify-store.js";
import { formatStoreVerification } from "../../audit/verify-text.js";
import { createKeyStore, createTrailLake } from "../../runtime.js";
import type { ObjectStore } from "../../store/object-store.js";
import { loadTrailSource } from "../../trail/lake/load-trail.js";
import { formatLoadSummary } from "../../trail/trail-text.js";
import { type CliContext, CliError, type GetContext } from "../context.js";
import { withRuntime } from "../with-runtime.js";

/**
 * `catdata audit verify|export|load`: the platform's own audit trail (its API calls, in CloudTrail
 * format under `AWSLogs/` in the store). `verify` checks every log file and digest where they live
 * and reports each file modified, deleted or inserted; `export` copies the trail to a folder in the
 * S3 layout; `load` puts it into the trail lake beside the AWS trail. (`catdata trail verify
 * <folder>` checks a folder of any CloudTrail trail.)
 */
export type OpenStore = <T>(ctx: CliContext, fn: (store: ObjectStore) => Promise<T>) => Promise<T>;

const runtimeStore: OpenStore = (ctx, fn) => withRuntime(ctx, (runtime) => fn(runtime.store));

export function registerAuditCommands(program: Command, getContext: GetContext, openStore = runtimeStore): void {
  const audit = program
    .command("audit")
    .description("the platform's own audit trail (CloudTrail format, in the store)");

  audit
    .command("verify")
    .description("check the trail's log files against its signed digests: reports files modified, deleted, inserted")
    .option("--public-key <file>", "PEM public key (default: the key store's, CATDATA_HOME/keys/trail-signing.pub.pem)")
    .option("--json", "print the report as JSON")
    .action(async (options: { publicKey?: string; json?: boolean }) => {
      const ctx = getContext();
      const publicKey = options.publicKey
        ? await readFile(options.publicKey, "utf8")
        : await createKeyStore(ctx.config).trailPublicKey();
      const report = await openStore(ctx, (store) => verifyStoreTrail(store, publicKey ? { publicKey } : {}));
      ctx.out.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatStoreVerification(report));
      if (!report.ok) throw new CliError("the audit trail did not verify", 1);
    });

  audit
    .command("export")
    .description("copy the trail (log files and digests) to a folder, in the S3 layout")
    .argument("<folder>", "where to write AWSLogs/…")
    .action(async (folder: string) => {
      const ctx = getContext();
      const result = await openStore(ctx, (store) => exportTrail(store, folder));
      ctx.out.write(`exported ${result.files.length} files to ${folder}\n`);
      for (const u of result.unreadable) ctx.err.write(`not exported: ${u.key}: ${u.reason}\n`);
      if (result.unreadable.length > 0)
        throw new CliError(`${result.unreadable.length} files failed the store's check`);
    });

  audit
    .command("load")
    .description("load the trail into the trail lake (what is already loaded is skipped)")
    .option("--json", "print the summary as JSON")
    .action(async (options: { json?: boolean }) => {
      const ctx = getContext();
      const summary = await openStore(ctx, (store) =>
        loadTrailSource(createTrailLake(ctx.config), storeTrailSource(store)),
      );
      ctx.out.write(
        options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatLoadSummary(summary, "the audit trail"),
      );
    });
}
