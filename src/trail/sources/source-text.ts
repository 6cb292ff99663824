import type { DigestVerification } from "../digest/digest.js";
import type { LookupLoadSummary } from "./lookup-source.js";

/**
 * Text for people (the CLI) about the API sources and digest verification. Pure; the JSON forms
 * are the objects themselves.
 */
const MAX_LISTED = 20;
const n = (value: number) => value.toLocaleString("en-US");

function section(lines: string[], title: string, items: string[]): void {
  if (items.length === 0) return;
  lines.push(`  ${title}: ${n(items.length)}`);
  for (const item of items.slice(0, MAX_LISTED)) lines.push(`    ${item}`);
  if (items.length > MAX_LISTED) lines.push(`    … and ${n(items.length - MAX_LISTED)} more (--json lists all)`);
}

export function formatLookupLoad(summary: LookupLoadSummary): string {
  const lines = [
    `Loaded ${n(summary.eventsLoaded)} of ${n(summary.eventsSeen)} events from LookupEvents in ${summary.region}`,
    `  window: ${summary.startTime} – ${summary.endTime}`,
    `  skipped: ${n(summary.duplicates)} already in the lake (same eventID)`,
    `  requests: ${n(summary.requests)} (${n(summary.retries)} throttled and retried)`,
  ];
  for (const notice of summary.notices) lines.push(`  notice: ${notice}`);
  return `${lines.join("\n")}\n`;
}

export function formatVerification(report: DigestVerification): string {
  const verdict = report.ok ? "verified" : "NOT verified";
  const lines = [
    `${report.folder}: ${verdict}`,
    `  digests: ${n(report.digestFiles)} · log files: ${n(report.logFiles)} · listed: ${n(report.listedLogFiles)} · valid: ${n(report.validLogFiles)}`,
  ];
  const s = report.signatures;
  lines.push(
    s.status === "checked"
      ? `  signatures: ${n(s.valid)} valid, ${n(s.invalid.length)} invalid, ${n(s.unchecked.length)} without a known signature`
      : "  signatures: signature not checked (give --public-key, from `aws cloudtrail list-public-keys`)",
  );
  section(
    lines,
    "modified",
    report.modified.map((m) => `${m.path} (listed in ${m.digest})`),
  );
  section(
    lines,
    "missing",
    report.missing.map((m) => `${m.s3Object} (listed in ${m.digest})`),
  );
  section(lines, "unlisted (inserted)", report.unlisted);
  section(
    lines,
    "digest chain",
    report.chain.map((c) => `${c.path}: ${c.problem}`),
  );
  section(lines, "invalid signatures", s.invalid);
  section(lines, "not yet covered by a digest", report.uncovered);
  for (const notice of report.notices) lines.push(`  notice: ${notice}`);
  return `${lines.join("\n")}\n`;
}
