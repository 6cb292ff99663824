import { readFile } from "node:fs/promises";
import { Presets, SingleBar } from "cli-progress";
import type { Command } from "commander";
import { runStdioServer } from "../../mcp/stdio.js";
import { createBehaviour, createTrailLake, createWarehouse } from "../../runtime.js";
import { createCloudTrailLake } from "../../trail/cloudtrail-lake/create-cloudtrail-lake.js";
import { verifyTrailFolder } from "../../trail/digest/digest.js";
import { type LoadSummary, loadTrailFolder } from "../../trail/lake/load-trail.js";
import { type LookupAttribute, lookupEvents } from "../../trail/lookup/lookup-events.js";
import { loadTrailLookup } from "../../trail/sources/lookup-source.js";
import { parseSince } from "../../trail/sources/s3-layout.js";
import { createS3Client, loadTrailS3 } from "../../trail/sources/s3-source.js";
import { formatLookupLoad, formatVerification } from "../../trail/sources/source-text.js";
import { formatEventsTable, formatLoadSummary } from "../../trail/trail-text.js";
import { type CliContext, CliError, type GetContext } from "../context.js";

/**
 * `catdata trail load <folder|s3://bucket/prefix|--lookup>`, `catdata trail verify <folder>` and
 * `catdata trail lookup …`: CloudTrail logs into the lake (local files, an S3 bucket, or the
 * LookupEvents API), log file integrity validation, and LookupEvents over the lake. `catdata mcp`
 * (registered by `registerMcpCommand`) serves the same lake to MCP clients over stdio.
 */
interface LoadOptions {
  json?: boolean;
  since?: string;
  lookup?: boolean;
  region?: string;
  start?: string;
  end?: string;
  endpointUrl?: string;
}

interface LookupOptions {
  eventName?: string;
  eventSource?: string;
  username?: string;
  eventId?: string;
  accessKeyId?: string;
  start?: string;
  end?: string;
  max?: string;
  nextToken?: string;
  insights?: boolean;
  json?: boolean;
}

export function registerTrailCommands(program: Command, getContext: GetContext): void {
  const trail = program
    .command("trail")
    .description(
      "CloudTrail behaviour intelligence: load logs, look events up, profile principals, predict, flag anomalies, evaluate",
    );

  trail
    .command("load")
    .description(
      "load CloudTrail logs into the lake: a folder (.json, .json.gz, .jsonl, .cloudtrail), an S3 bucket/prefix, " +
        "or the LookupEvents API (--lookup); what is already loaded is skipped",
    )
    .argument("[source]", "folder (or single file) of CloudTrail logs, or s3://bucket/prefix")
    .option("--since <date>", "S3: only date folders from this day on (YYYY-MM-DD)")
    .option("--lookup", "read the LookupEvents API instead of files (last 90 days)")
    .option("--region <region>", "AWS region (default: environment or profile)")
    .option("--start <iso>", "--lookup: events at or after this time (default: 90 days ago)")
    .option("--end <iso>", "--lookup: events at or before this time (default: now)")
    .option("--endpoint-url <url>", "S3: an S3-compatible endpoint (MinIO, LocalStack)")
    .option("--json", "print the summary as JSON")
    .action(async (source: string | undefined, options: LoadOptions) => {
      const ctx = getContext();
      if (options.lookup) {
        if (source) throw new CliError("give either a source or --lookup, not both", 2);
        await loadLookup(ctx, options);
        return;
      }
      if (!source) throw new CliError("give a folder, an s3://bucket/prefix, or --lookup", 2);
      const since = options.since === undefined ? undefined : parseSince(options.since);
      const bar = ctx.interactive && !options.json ? progressBar(ctx.err) : undefined;
      let started = false;
      const onProgress = (done: number, total: number) => {
        if (!bar) return;
        if (!started) bar.start(total, done);
        started = true;
        bar.update(done);
      };
      let summary: LoadSummary;
      try {
        if (source.startsWith("s3://")) {
          const client = createS3Client({
            ...(options.region ? { region: options.region } : {}),
            ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
          });
          summary = await loadTrailS3(createTrailLake(ctx.config), source, {
            client,
            onProgress,
            ...(since ? { since } : {}),
          });
        } else {
          if (since) throw new CliError("--since applies to s3:// sources", 2);
          summary = await loadTrailFolder(createTrailLake(ctx.config), source, { onProgress });
        }
      } finally {
        if (started) bar?.stop();
      }
      ctx.out.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatLoadSummary(summary, source));
    });

  trail
    .command("verify")
    .description("check CloudTrail log files against their digest files (log file integrity validation)")
    .argument("<folder>", "folder holding the log files and their CloudTrail-Digest files")
    .option("--public-key <file>", "public key (PEM, or base64 DER from list-public-keys) to check digest signatures")
    .option("--json", "print the report as JSON")
    .action(async (folder: string, options: { publicKey?: string; json?: boolean }) => {
      const ctx = getContext();
      const publicKey = options.publicKey ? await readFile(options.publicKey, "utf8") : undefined;
      const report = await verifyTrailFolder(folder, publicKey ? { publicKey } : {});
      ctx.out.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatVerification(report));
      if (!report.ok) throw new CliError(`${folder} did not verify`, 1);
    });

  trail
    .command("lookup")
    .description("look events up like CloudTrail's LookupEvents (newest first)")
    .option("--event-name <name>", "EventName, e.g. ConsoleLogin")
    .option("--event-source <source>", "EventSource, e.g. iam.amazonaws.com")
    .option("--username <name>", "user name, role session name or principal id (iam-user:<account>/<name>)")
    .option("--event-id <id>", "EventId")
    .option("--access-key-id <key>", "AccessKeyId")
    .option("--start <iso>", "only events at or after this time (ISO 8601)")
    .option("--end <iso>", "only events at or before this time (ISO 8601)")
    .option("--max <n>", "events per page, 1–50", "50")
    .option("--next-token <token>", "continue from the previous page")
    .option("--insights", "CloudTrail Insights events instead of API events")
    .option("--json", "print { events, nextToken } as JSON")
    .action(async (options: LookupOptions) => {
      const ctx = getContext();
      const maxResults = Number(options.max);
      if (!Number.isInteger(maxResults)) throw new CliError(`--max must be a whole number, not ${options.max}`, 2);
      const result = await lookupEvents(createTrailLake(ctx.config), {
        lookupAttributes: attributesOf(options),
        ...(options.start ? { startTime: options.start } : {}),
        ...(options.end ? { endTime: options.end } : {}),
        ...(options.nextToken ? { nextToken: options.nextToken } : {}),
        ...(options.insights ? { eventCategory: "insight" as const } : {}),
        maxResults,
      });
      if (options.json) {
        ctx.out.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      ctx.out.write(formatEventsTable(result.events));
      if (result.nextToken) ctx.err.write(`more events: add --next-token ${result.nextToken}\n`);
    });
}

async function loadLookup(ctx: CliContext, options: LoadOptions): Promise<void> {
  const status = ctx.interactive && !options.json;
  const summary = await loadTrailLookup(createTrailLake(ctx.config), {
    ...(options.region ? { region: options.region } : {}),
    ...(options.start ? { start: options.start } : {}),
    ...(options.end ? { end: options.end } : {}),
    onNotice: (notice) => ctx.err.write(`notice: ${notice}\n`),
    onPage: (pages, events) => status && ctx.err.write(`\rLookupEvents: ${pages} pages, ${events} events`),
  });
  if (status) ctx.err.write("\n");
  ctx.out.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatLookupLoad(summary));
}

const progressBar = (stream: NodeJS.WritableStream) =>
  new SingleBar(
    { stream, format: "loading {bar} {value}/{total} files", hideCursor: true, noTTYOutput: true },
    Presets.shades_classic,
  );

function attributesOf(options: LookupOptions): LookupAttribute[] {
  const pairs: [LookupAttribute["attributeKey"], string | undefined][] = [
    ["EventName", options.eventName],
    ["EventSource", options.eventSource],
    ["Username", options.username],
    ["EventId", options.eventId],
    ["AccessKeyId", options.accessKeyId],
  ];
  return pairs.flatMap(([attributeKey, attributeValue]) => (attributeValue ? [{ attributeKey, attributeValue }] : []));
}

/** `catdata mcp`: the MCP server over stdio, for desktop clients and agents started as a process. */
export function registerMcpCommand(program: Command, getContext: GetContext): void {
  program
    .command("mcp")
    .description(
      "run the CloudTrail MCP server over stdio (lookup_events, lake_query, get_event_name_counts, the behaviour tools, …; tools/list names them all)",
    )
    .action(async () => {
      const ctx = getContext();
      const behaviour = createBehaviour(ctx.config);
      // The marts are read per call (READ_ONLY), so a running server's warehouse is not blocked.
      const warehouse = createWarehouse(ctx.config, ctx.logger);
      try {
        // stdio: the local operator, who owns the machine's data (caller null: no restriction).
        await runStdioServer({
          behaviour,
          trail: behaviour.trail,
          version: program.version() ?? "0.0.0",
          region: ctx.config.region,
          warehouse,
          caller: null,
          minCell: ctx.config.auth.minCell,
          cloudTrailLake: createCloudTrailLake(ctx.config.cloudTrailLake, ctx.config.region),
        });
      } finally {
        await warehouse.close();
      }
    });
}
