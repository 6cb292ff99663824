import cliProgress from "cli-progress";
import { type Command, InvalidArgumentError } from "commander";
import { ingestFile } from "../../etl/ingest.js";
import { isPublished, type JobRecord, type JobStatus } from "../../etl/job-log.js";
import { checkJobId } from "../../etl/loads.js";
import { CliError, type GetContext } from "../context.js";
import { fmt, table } from "../format.js";
import { withRuntime } from "../with-runtime.js";

const ERROR_LABEL: Partial<Record<JobStatus, string>> = { duplicate: "note", needs_review: "needs review" };

/** Parses `--fiscal-year-start`: a month 1–12. */
function fiscalMonth(raw: string): number {
  const month = Number(raw);
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new InvalidArgumentError("give the first month of the fiscal year, 1–12 (4 = April, 7 = July, 10 = October)");
  }
  return month;
}

function summary(file: string, job: JobRecord): string {
  const c = job.counts;
  const per = Object.entries(job.loadedByDataset)
    .map(([d, n]) => `${d} ${fmt(n ?? 0)}`)
    .join(", ");
  return [
    `${file}: ${job.status}${job.profile ? ` (profile ${job.profile}, municipality ${job.municipality})` : ""}`,
    `  read ${fmt(c.read)} · loaded ${fmt(c.loaded)} · quarantined ${fmt(c.quarantined)} · deduplicated ${fmt(c.deduplicated)} · skipped ${fmt(c.skipped)} (not cats)${c.failed ? ` · failed ${fmt(c.failed)} (not published)` : ""}`,
    per ? `  records: ${per}` : "",
    ...job.tables.filter((t) => t.skipped !== undefined).map((t) => `  skipped sheet ${t.name}: ${t.skipped}`),
    job.error ? `  ${ERROR_LABEL[job.status] ?? "error"}: ${job.error}` : "",
    c.quarantined > 0 ? `  see the quarantined rows: catdata quarantine ${job.jobId}` : "",
    job.replaces && isPublished(job) ? `  replaced job ${job.replaces} (see \`catdata loads history\`)` : "",
    `  job ${job.jobId}, stored as ${job.key} version ${job.versionId}`,
  ]
    .filter(Boolean)
    .join("\n");
}

/** `catdata ingest`, `jobs`, `quarantine`: uploads and what the ETL made of them. */
export function registerIngestCommands(program: Command, getContext: GetContext): void {
  program
    .command("ingest")
    .description(
      "upload CSV, Excel (.xlsx) or JSON lines files into the store; each put runs process-cat-data and loads the lake",
    )
    .argument("<files...>", "CSV (UTF-8 or Shift_JIS), .xlsx, .jsonl, or any of them gzipped")
    .option("-m, --municipality <code>", "全国地方公共団体コード (e.g. 131041) or a slug (us-tx-austin)")
    .option("-p, --profile <name>", "mapping profile (default: detected from the headers)")
    .option("--mapping <json>", "a confirmed mapping from `catdata suggest-mapping` (for files no profile matches)")
    .option(
      "--fiscal-year-start <1-12>",
      "first month of the fiscal year, for a municipality catdata does not know and a mapping that does not say",
      fiscalMonth,
    )
    .option(
      "--replaces <job>",
      "the earlier load this one corrects (a new mapping or a new export): its records leave the lake in this load's commit",
    )
    .option("--json", "print the job records as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  catdata ingest intakes-2024.csv --municipality 131041\n  catdata ingest intakes-2024.csv -m 131041 --mapping fixed.mapping.json --replaces 0123456789abcdef0123",
    )
    .action(
      async (
        files: string[],
        opts: {
          municipality?: string;
          profile?: string;
          mapping?: string;
          fiscalYearStart?: number;
          replaces?: string;
          json?: boolean;
        },
      ) => {
        const ctx = getContext();
        if (opts.replaces !== undefined && files.length > 1) {
          throw new CliError("--replaces names one load: give one file with it");
        }
        if (opts.replaces !== undefined) checkJobId(opts.replaces);
        // The API's check, against the same directory (built-in + CATDATA_MUNICIPALITIES_FILE).
        if (opts.municipality !== undefined) ctx.config.municipalities.require(opts.municipality);
        const fiscalYearStart = ctx.config.municipalities.uploadFiscalYearStart(
          opts.municipality,
          opts.fiscalYearStart,
        );
        const jobs = await withRuntime(ctx, async (runtime) => {
          const out: JobRecord[] = [];
          for (const file of files) {
            const bar =
              ctx.interactive && !opts.json
                ? new cliProgress.SingleBar(
                    { format: `${file} [{bar}] {percentage}% {value}/{total} bytes`, stream: process.stderr },
                    cliProgress.Presets.shades_classic,
                  )
                : undefined;
            // Drawn from the job record's progress (written by whichever process runs the job).
            let started = false;
            const onProgress = (job: JobRecord) => {
              if (!bar || !job.progress) return;
              if (!started) bar.start(job.progress.totalBytes, 0);
              started = true;
              bar.update(job.progress.bytesRead);
            };
            const job = await ingestFile(runtime, file, {
              ...opts,
              ...(fiscalYearStart ? { fiscalYearStart } : {}),
              onProgress,
            });
            bar?.stop();
            out.push(job);
            if (!opts.json) ctx.out.write(`${summary(file, job)}\n`);
          }
          return out;
        });
        if (opts.json) ctx.out.write(`${JSON.stringify(jobs, null, 2)}\n`);
        if (jobs.some((j) => j.status === "failed")) throw new CliError("some files failed to load (see above)");
        if (jobs.some((j) => j.status === "needs_review")) {
          throw new CliError(
            "some files loaded with too many rows quarantined: review them (see above; `catdata quarantine <job>`)",
          );
        }
      },
    );

  program
    .command("jobs")
    .description("list ETL jobs, newest first")
    .option("--json", "print as JSON")
    .action(async (opts: { json?: boolean }) => {
      const ctx = getContext();
      const jobs = await withRuntime(ctx, (r) => r.jobs.list());
      if (opts.json) return void ctx.out.write(`${JSON.stringify(jobs, null, 2)}\n`);
      const rows = jobs.map((j) => ({
        job: j.jobId,
        status: j.status,
        key: j.key,
        profile: j.profile,
        read: j.counts.read,
        loaded: j.counts.loaded,
        quarantined: j.counts.quarantined,
        dedup: j.counts.deduplicated,
        started: j.startedAt,
      }));
      ctx.out.write(table(rows));
    });

  program
    .command("quarantine")
    .description("show the rows a job quarantined, with the reason for each")
    .argument("<job>", "job id (from `catdata jobs`)")
    .option("--json", "print as JSON")
    .action(async (jobId: string, opts: { json?: boolean }) => {
      const ctx = getContext();
      const rows = await withRuntime(ctx, async (r) => {
        if (!(await r.jobs.get(jobId))) throw new CliError(`no job ${jobId}; list jobs with \`catdata jobs\``);
        return r.jobs.readQuarantine(jobId);
      });
      if (opts.json) return void ctx.out.write(`${JSON.stringify(rows, null, 2)}\n`);
      ctx.out.write(table(rows.map((q) => ({ row: q.row, reason: q.reason }))));
    });
}
