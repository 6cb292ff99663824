import type { StoreVerification } from "./verify-store.js";

/** `catdata audit verify` for people: a verdict line, counts, then each problem with its reason. Pure. */
const MAX_LISTED = 25;
const n = (value: number) => value.toLocaleString("en-US");

function section(lines: string[], title: string, items: string[]): void {
  if (items.length === 0) return;
  lines.push("", `  ${title} (${n(items.length)}):`);
  for (const item of items.slice(0, MAX_LISTED)) lines.push(`    ${item}`);
  if (items.length > MAX_LISTED) lines.push(`    … and ${n(items.length - MAX_LISTED)} more (--json lists all)`);
}

export function formatStoreVerification(report: StoreVerification): string {
  const lines = [
    `audit trail in ${report.bucket}: ${report.ok ? "verified" : "NOT verified"}`,
    `  digests: ${n(report.digestFiles)} · log files: ${n(report.logFiles)} · valid: ${n(report.validLogFiles)}`,
  ];
  const s = report.signatures;
  lines.push(
    s.status === "checked"
      ? `  signatures: ${n(s.valid)} valid, ${n(s.invalid.length)} invalid`
      : "  signatures: not checked (no public key: <home>/keys/trail-signing.pub.pem or --public-key)",
  );
  section(
    lines,
    "MODIFIED",
    report.modified.map((m) => `${m.key}\n      ${m.reason}`),
  );
  section(
    lines,
    "DELETED",
    report.deleted.map((d) => `${d.kind} ${d.key}\n      ${d.reason}`),
  );
  section(
    lines,
    "INSERTED",
    report.inserted.map((i) => `${i.key}\n      ${i.reason}`),
  );
  section(
    lines,
    "digest chain",
    report.chain.map((c) => `${c.key}\n      ${c.problem}`),
  );
  section(lines, "invalid signatures", s.invalid);
  section(lines, "pending (newer than the newest digest)", report.pending);
  for (const notice of report.notices) lines.push(`  notice: ${notice}`);
  if (report.digestFiles === 0) lines.push("  no digest files yet: the trail writes one every hour and at shutdown");
  return `${lines.join("\n")}\n`;
}
