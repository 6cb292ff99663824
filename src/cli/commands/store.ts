import type { Command } from "commander";
import type { GetContext } from "../context.js";
import { table } from "../format.js";
import { withRuntime } from "../with-runtime.js";

/** `catdata versions <key>` and `catdata restore <key> <version>`: the store's version history. */
export function registerStoreCommands(program: Command, getContext: GetContext): void {
  program
    .command("versions")
    .description("list every version of a stored object (newest first), or the objects under a prefix")
    .argument("<key>", "object key, e.g. raw/131041/2024-05-01/intakes.csv, or a prefix ending in /")
    .option("--json", "print as JSON")
    .action(async (key: string, opts: { json?: boolean }) => {
      const ctx = getContext();
      const versions = await withRuntime(ctx, (r) =>
        key.endsWith("/") ? r.store.list(key) : r.store.listVersions(key),
      );
      if (opts.json) return void ctx.out.write(`${JSON.stringify(versions, null, 2)}\n`);
      ctx.out.write(
        table(
          versions.map((v) => ({
            key: v.key,
            version: v.versionId,
            latest: v.isLatest ? "*" : "",
            size: v.size,
            created: v.createdAt,
            deleted: v.deleteMarker ? "delete marker" : "",
            sha256: v.sha256.slice(0, 16),
          })),
        ),
      );
    });

  program
    .command("restore")
    .description("make an older version the latest again (copied as a new version; nothing is lost)")
    .argument("<key>", "object key")
    .argument("<version>", "version id from `catdata versions <key>`")
    .action(async (key: string, versionId: string) => {
      const ctx = getContext();
      const v = await withRuntime(ctx, (r) => r.store.restore(key, versionId));
      ctx.out.write(`restored ${key} version ${versionId} as new version ${v.versionId}\n`);
    });
}
