import type { Command } from "commander";
import { damagedPartError, type PartProblem } from "../../lake/part-integrity.js";
import type { Runtime } from "../../runtime.js";
import type { TrailPartProblem } from "../../trail/lake/trail-lake.js";
import { committedParts, reloadHint } from "../../trail/lake/trail-part-integrity.js";
import { CliError, type GetContext } from "../context.js";
import { withRuntime } from "../with-runtime.js";

/**
 * `catdata lake verify [--json]`: hashes every part of the cat-data lake (`Lake.verify()`) and of
 * the CloudTrail lake (`TrailLake.verify()`) again, against the SHA-256 and size recorded when each
 * was committed, and lists every part that changed, is gone, or was committed before checksums were
 * kept ("unrecorded": served unchecked, not a failure). Exit code 1 when any part is damaged.
 */
export interface LakeVerification {
  ok: boolean;
  lake: { location: string; parts: number; problems: (PartProblem & { hint: string })[] };
  trail: { location: string; parts: number; problems: (TrailPartProblem & { hint: string })[] };
}

const lakeHint = (p: PartProblem) =>
  p.problem === "unrecorded" ? `re-run job ${p.jobId} to record it` : (damagedPartError(p).hint ?? "");
const trailHint = (p: TrailPartProblem) =>
  p.problem === "unrecorded"
    ? "served unchecked; to record its checksum, load its source into an empty trail lake (move the old one aside)"
    : reloadHint(p);

export async function verifyLakes(runtime: Pick<Runtime, "lake" | "trail">): Promise<LakeVerification> {
  const [catalog, manifest] = await Promise.all([runtime.lake.readCatalog(), runtime.trail.readManifest()]);
  const [lakeProblems, trailProblems] = await Promise.all([runtime.lake.verify(catalog), runtime.trail.verify()]);
  const damaged = [...lakeProblems, ...trailProblems].some((p) => p.problem !== "unrecorded");
  return {
    ok: !damaged,
    lake: {
      location: runtime.lake.location,
      parts: Object.values(catalog.tables).reduce((n, table) => n + (table?.files.length ?? 0), 0),
      problems: lakeProblems.map((p) => ({ ...p, hint: lakeHint(p) })),
    },
    trail: {
      location: runtime.trail.location,
      parts: committedParts(manifest).length,
      problems: trailProblems.map((p) => ({ ...p, hint: trailHint(p) })),
    },
  };
}

export function formatLakeVerification(report: LakeVerification): string {
  const section = (title: string, part: { location: string; parts: number; problems: unknown[] }, lines: string[]) => {
    const found = part.problems.length === 0 ? "all match" : `${part.problems.length} problem(s)`;
    return [`${title} ${part.location}: ${part.parts} part(s) checked, ${found}`, ...lines];
  };
  const lake = report.lake.problems.flatMap((p) => [
    `  ${p.problem.toUpperCase()}  ${p.path} (${p.dataset}, job ${p.jobId}): ${p.detail}`,
    `    what to do: ${p.hint}`,
  ]);
  const trail = report.trail.problems.flatMap((p) => [
    `  ${p.problem.toUpperCase()}  ${p.part} (from ${p.sourcePath} in ${p.folder}): ${p.detail}`,
    `    what to do: ${p.hint}`,
  ]);
  const verdict = report.ok ? "verified: no damaged part" : "NOT verified: damaged parts are refused to every reader";
  return `${[...section("cat-data lake", report.lake, lake), ...section("trail lake", report.trail, trail), verdict].join("\n")}\n`;
}

export function registerLakeCommands(program: Command, getContext: GetContext): void {
  const lake = program
    .command("lake")
    .description("the lakes' integrity at rest: check every Parquet part against the checksum recorded at commit");

  lake
    .command("verify")
    .description("hash every part of the cat-data lake and the trail lake again and list each damaged one")
    .option("--json", "print the report as JSON")
    .action(async (options: { json?: boolean }) => {
      const ctx = getContext();
      const report = await withRuntime(ctx, verifyLakes);
      ctx.out.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatLakeVerification(report));
      if (!report.ok) throw new CliError("a lake part does not match its recorded checksum", 1);
    });
}
