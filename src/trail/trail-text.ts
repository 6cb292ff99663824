import type { LoadSummary } from "./lake/load-trail.js";
import type { LookupEvent } from "./lookup/lookup-events.js";
import { isObject, stringAt } from "./parse/fields.js";

/**
 * Text for people (the CLI): a load summary and an events table. Pure; the JSON forms are the
 * objects themselves.
 */
const MAX_LISTED = 20;
const n = (value: number) => value.toLocaleString("en-US");
const files = (count: number) => `${n(count)} ${count === 1 ? "file" : "files"}`;

function listed(lines: string[], items: string[]): void {
  for (const item of items.slice(0, MAX_LISTED)) lines.push(`    ${item}`);
  if (items.length > MAX_LISTED) lines.push(`    … and ${n(items.length - MAX_LISTED)} more (--json lists all)`);
}

export function formatLoadSummary(summary: LoadSummary, folder: string): string {
  const lines = [
    `Loaded ${n(summary.filesLoaded)} of ${n(summary.filesSeen)} files (${n(summary.recordsLoaded)} records) from ${folder}`,
    `  skipped: ${n(summary.filesSkipped)} already in the lake` +
      (summary.duplicateFiles.length > 0
        ? ` (${n(summary.duplicateFiles.length)} identical to another file here)`
        : ""),
    `  digests: ${files(summary.digestFiles)} · insights: ${n(summary.insightsRecords)} records`,
  ];
  lines.push(`  unreadable: ${files(summary.unreadableFiles.length)}`);
  listed(
    lines,
    summary.unreadableFiles.map((u) => `${u.path}: ${u.reason}`),
  );
  if (summary.filesWithProblems.length > 0) {
    lines.push(`  loaded with problems: ${files(summary.filesWithProblems.length)}`);
    listed(
      lines,
      summary.filesWithProblems.map((f) => `${f.path}: ${f.problems.join("; ")}`),
    );
  }
  return `${lines.join("\n")}\n`;
}

const clip = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

export function formatEventsTable(events: readonly LookupEvent[]): string {
  if (events.length === 0) return "No events.\n";
  const header = ["TIME (UTC)", "EVENT", "PRINCIPAL", "SOURCE IP", "ERROR"];
  const rows = events.map((e) => {
    const raw: unknown = safeParse(e.CloudTrailEvent);
    const source = (e.EventSource ?? "unknown").replace(/\.amazonaws\.com$/, "");
    return [
      e.EventTime ? e.EventTime.replace(/\.\d{3}Z$/, "Z") : "-",
      clip(`${source}:${e.EventName ?? "unknown"}`, 48),
      clip(e.principal, 56),
      clip(stringAt(raw, "sourceIPAddress") ?? "-", 24),
      clip(stringAt(raw, "errorCode") ?? "", 28),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}

function safeParse(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
