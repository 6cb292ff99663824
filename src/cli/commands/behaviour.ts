import { writeFile } from "node:fs/promises";
import { Presets, SingleBar } from "cli-progress";
import type { Command } from "commander";
import type { BehaviourService } from "../../behaviour/behaviour-service.js";
import {
  formatAnomalies,
  formatPredictions,
  formatPrincipals,
  formatProfile,
  formatTrainSummary,
} from "../../behaviour/report/behaviour-text.js";
import { formatEvaluation } from "../../behaviour/report/eval-text.js";
import { renderHtmlReport } from "../../behaviour/report/html-report.js";
import { createBehaviour } from "../../runtime.js";
import { type CliContext, CliError, type GetContext } from "../context.js";

/**
 * Behaviour commands under `catdata trail`: train, principals, profile, predict, anomalies, eval,
 * report. Every command takes `--json`; long work draws a progress bar on stderr when interactive.
 */
const json = (ctx: CliContext, value: unknown) => ctx.out.write(`${JSON.stringify(value, null, 2)}\n`);
/** The behaviour service of the configured lake (built by the composition root). */
const behaviourOf = (ctx: CliContext): BehaviourService => createBehaviour(ctx.config);

function whole(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new CliError(`${name} must be a whole number from ${min} to ${max}, not ${value}`, 2);
  return n;
}

/** A progress bar on stderr when interactive and not --json; `update(done, total)` starts it lazily. */
function progress(ctx: CliContext, quiet: boolean | undefined, label: string) {
  const bar =
    ctx.interactive && !quiet
      ? new SingleBar(
          { stream: ctx.err, format: `${label} {bar} {value}/{total}`, hideCursor: true, noTTYOutput: true },
          Presets.shades_classic,
        )
      : undefined;
  let started = false;
  return {
    update: (done: number, total: number) => {
      if (!bar) return;
      if (!started) bar.start(total, done);
      started = true;
      bar.update(done);
    },
    stop: () => {
      if (started) bar?.stop();
    },
  };
}

export function registerBehaviourCommands(trail: Command, getContext: GetContext): void {
  trail
    .command("train")
    .description("train the behaviour model on the lake, incrementally (only events newer than those already counted)")
    .option("--rebuild", "start from nothing")
    .option("--gap <minutes>", "inactivity that ends a session", "30")
    .option("--json", "print the summary as JSON")
    .action(async (options: { rebuild?: boolean; gap: string; json?: boolean }) => {
      const ctx = getContext();
      const gap = whole(options.gap, "--gap", 1, 1440) ?? 30;
      const summary = await behaviourOf(ctx).train({
        rebuild: options.rebuild === true,
        sessionGapMs: gap * 60_000,
      });
      if (options.json) json(ctx, summary);
      else ctx.out.write(formatTrainSummary(summary));
    });

  trail
    .command("principals")
    .description("the principals of the trail, busiest first")
    .option("--json", "print as JSON")
    .action(async (options: { json?: boolean }) => {
      const ctx = getContext();
      const rows = await behaviourOf(ctx).principals();
      if (options.json) json(ctx, rows);
      else ctx.out.write(formatPrincipals(rows));
    });

  trail
    .command("profile")
    .description("a principal's habits: calls, services, regions, IPs, clients, transitions, activity by hour of week")
    .argument("<principal>", "principal id (iam-user:<account>/<name>, role:<account>/<role>, …) or its last part")
    .option("--zone <tz>", "time zone of the activity profile (IANA name)", "UTC")
    .option("--json", "print as JSON")
    .action(async (principal: string, options: { zone: string; json?: boolean }) => {
      const ctx = getContext();
      const profile = await behaviourOf(ctx).profile(principal, { timeZone: options.zone });
      if (options.json) json(ctx, profile);
      else ctx.out.write(formatProfile(profile));
    });

  trail
    .command("predict")
    .description("the principal's most likely next calls, continuing its last session")
    .argument("<principal>", "principal id or its last part")
    .option("--top <n>", "how many predictions", "5")
    .option("--after <keys>", "predict after these calls instead (comma-separated eventSource:eventName)")
    .option("--new-session", "predict the first call of a new session")
    .option("--json", "print { principal, after, lastEventTime, predictions: [{ eventKey, probability }] }")
    .action(
      async (principal: string, options: { top: string; after?: string; newSession?: boolean; json?: boolean }) => {
        const ctx = getContext();
        const result = await behaviourOf(ctx).predict(principal, {
          top: whole(options.top, "--top", 1, 100) ?? 5,
          ...(options.after
            ? {
                after: options.after
                  .split(",")
                  .map((k) => k.trim())
                  .filter(Boolean),
              }
            : {}),
          newSession: options.newSession === true,
        });
        if (options.json) json(ctx, result);
        else ctx.out.write(formatPredictions(result));
      },
    );

  trail
    .command("anomalies")
    .description("events ranked by anomaly score, each scored against what came before it, with reasons")
    .option("--since <iso>", "score events from this time on (earlier events are history)")
    .option("--limit <n>", "how many", "20")
    .option("--principal <principal>", "only this principal's events")
    .option("--sessions", "also rank sessions")
    .option("--json", "print the ranked array of { eventID, eventTime, principal, eventKey, score, reasons }")
    .action(
      async (options: { since?: string; limit: string; principal?: string; sessions?: boolean; json?: boolean }) => {
        const ctx = getContext();
        const bar = progress(ctx, options.json, "scoring");
        try {
          const report = await behaviourOf(ctx).anomalies({
            ...(options.since ? { since: options.since } : {}),
            ...(options.principal ? { principal: options.principal } : {}),
            limit: whole(options.limit, "--limit", 1, 10_000) ?? 20,
            onProgress: bar.update,
          });
          bar.stop();
          if (options.json)
            json(ctx, options.sessions ? { anomalies: report.anomalies, sessions: report.sessions } : report.anomalies);
          else ctx.out.write(formatAnomalies(report, options.sessions === true));
        } finally {
          bar.stop();
        }
      },
    );

  trail
    .command("eval")
    .description(
      "measure next-action prediction and anomaly detection on any CloudTrail folder (loaded into a temporary lake)",
    )
    .argument("<folder>", "folder of CloudTrail logs")
    .option("--labels <csv>", "event labels (default: <folder>/derived/event_labels.csv when present)")
    .option("--label-column <name>", "label column of the CSV")
    .option("--positive <value>", "label value that marks an attack")
    .option("--train-share <fraction>", "share of each principal's events used for training", "0.7")
    .option("--min-events <n>", "evaluate principals with at least this many events", "100")
    .option("--inject <folder>", "also inject these attack logs (one technique per file) into the benign events")
    .option("--victim <principal>", "principal the injected events pose as (default: the busiest human principal)")
    .option("--json", "print the report as JSON")
    .action(async (folder: string, options: Record<string, string | boolean | undefined>) => {
      const ctx = getContext();
      const share = Number(options.trainShare);
      if (!(share > 0 && share < 1))
        throw new CliError(`--train-share must be between 0 and 1, not ${options.trainShare}`, 2);
      const stages = ["loading", "next action", "anomalies", "injection"];
      const bar = progress(ctx, options.json === true, "evaluating");
      const text = (name: string) => (typeof options[name] === "string" ? { [name]: options[name] as string } : {});
      try {
        const report = await behaviourOf(ctx).evaluate(folder, {
          ...text("labels"),
          ...text("labelColumn"),
          ...text("positive"),
          ...text("inject"),
          ...text("victim"),
          trainShare: share,
          minEvents: whole(options.minEvents as string, "--min-events", 2, 1e9) ?? 100,
          onProgress: (stage) => bar.update(stages.indexOf(stage), stages.length),
        });
        bar.stop();
        if (options.json) json(ctx, report);
        else ctx.out.write(formatEvaluation(report));
      } finally {
        bar.stop();
      }
    });

  trail
    .command("report")
    .description("a self-contained HTML report: activity heatmaps, top transitions, anomalies with reasons")
    .option("--out <file>", "where to write it", "trail-report.html")
    .option("--since <iso>", "score anomalies from this time on")
    .option("--zone <tz>", "time zone of the heatmaps", "UTC")
    .option("--json", "print the report's data as JSON instead")
    .action(async (options: { out: string; since?: string; zone: string; json?: boolean }) => {
      const ctx = getContext();
      const bar = progress(ctx, options.json, "scoring");
      try {
        const data = await behaviourOf(ctx).report({
          ...(options.since ? { since: options.since } : {}),
          timeZone: options.zone,
          onProgress: bar.update,
        });
        bar.stop();
        if (options.json) {
          json(ctx, data);
          return;
        }
        await writeFile(options.out, renderHtmlReport(data));
        ctx.out.write(
          `Wrote ${options.out} (${data.principals.length} principals, ${data.anomalies.anomalies.length} anomalies)\n`,
        );
      } finally {
        bar.stop();
      }
    });
}
