import { type BehaviourEvent, hourIndex, isDenial, isIpSource, serviceOf } from "../model/behaviour-event.js";
import type { BehaviourModel } from "../model/behaviour-model.js";
import { nextActionProbability } from "../model/next-action.js";
import { hourOfWeekUtc, type PrincipalCounts } from "../model/principal-counts.js";
import type { RecentEvent } from "../model/recent-window.js";
import type { SessionStep } from "../model/sessions.js";
import type { AnomalyReason } from "./anomaly-reason.js";
import { denialBurst, enumeration, novelty, offHours, transition } from "./anomaly-signals.js";
import { type AttackMapping, attackEntryOf } from "./attack-mapping.js";
import { parameterFindings } from "./sensitive-parameters.js";

/**
 * The anomaly score of one event against what was known before it: the sum of independent signals,
 * each in bits (a surprisal, or a prior for sensitive calls) so they add up, each a reason with its
 * contribution. Pure: the model, the principal's recent events and the session context are given.
 */
export interface ScoreInput {
  model: BehaviourModel;
  mapping: AttackMapping;
  step: SessionStep;
  /** The principal's events in the last minutes, before this one. */
  recent: readonly RecentEvent[];
}

const round = (x: number) => Math.round(x * 100) / 100;

export function scoreEvent(input: ScoreInput, event: BehaviourEvent): AnomalyReason[] {
  const { model, step } = input;
  const counts: PrincipalCounts | undefined = model.principal(event.principal);
  const reasons: AnomalyReason[] = [];
  const push = (reason: AnomalyReason | undefined) => {
    if (reason && reason.contribution >= 0.05) reasons.push({ ...reason, contribution: round(reason.contribution) });
  };
  const before = counts?.ngrams.unigrams.get(event.eventKey) ?? 0;
  if (before > 0)
    push(transition(event, step, nextActionProbability(model, event.principal, step.recent, event.eventKey)));
  if (!counts) {
    push(novelty("first-seen-principal", "principal", event.principal, model.events, model.principals.size));
  } else {
    if (before === 0) {
      push(novelty("first-seen-api", "call of", event.eventKey, counts.events, counts.ngrams.unigrams.size));
    }
    const service = serviceOf(event.eventKey);
    if (!counts.services.has(service)) {
      push(novelty("first-seen-service", "service", service, counts.events, counts.services.size));
    }
    const kinds = [
      ["first-seen-region", "region", "region", event.region],
      ["first-seen-source-ip", "source IP", "sourceIp", event.sourceIp],
      ["first-seen-user-agent", "user agent", "userAgent", event.userAgent],
    ] as const;
    for (const [kind, label, field, value] of kinds) {
      const seen = counts.values[field];
      if (value === null || seen.has(value)) continue;
      if (field !== "sourceIp") push(novelty(kind, label, value, counts.valueTotals[field], seen.size));
      // A call an AWS service made for the principal names the service, not an IP: no first-seen IP.
      else if (isIpSource(value)) push(novelty(kind, label, value, counts.valueTotals[field], seen.size));
    }
    const hour = hourIndex(event.timeMs);
    if (!counts.hours.has(hour)) push(offHours(counts.activeHoursOfWeek, counts.hours.size, hourOfWeekUtc(hour)));
  }
  if (isDenial(event.errorCode)) push(denialBurst(event, input.recent, counts));
  if (event.readOnly === true) push(enumeration(event, input.recent, counts));
  // Calls AWS services make on their own behalf (AssumeRole by rds.amazonaws.com, …) are not weighted as sensitive.
  if (event.principalType !== "AWSService") push(sensitive(input.mapping, event, before));
  return reasons.sort((a, b) => b.contribution - a.contribution);
}

/** A sensitive call: its ATT&CK weight, discounted by how often the principal made it before, plus its parameters. */
function sensitive(mapping: AttackMapping, event: BehaviourEvent, before: number): AnomalyReason | undefined {
  const entry = attackEntryOf(mapping, event.eventKey);
  const findings = parameterFindings(event.eventKey.slice(event.eventKey.lastIndexOf(":") + 1), event.raw);
  if (!entry && findings.length === 0) return undefined;
  const familiarity = 1 / (1 + Math.log2(1 + before));
  const base = (entry?.bits ?? 0) * familiarity;
  const extra = findings.reduce((sum, f) => sum + f.bits, 0);
  const tactics = entry ? `${entry.tactics.join(", ")}${entry.usedInWild ? "; used in the wild" : ""}` : "";
  const habit =
    before === 0 ? "first time for this principal" : `made ${before} time(s) before, weight ×${familiarity.toFixed(2)}`;
  const detail = [
    `${event.eventKey}${tactics ? ` (${tactics})` : ""}: ${habit}`,
    ...findings.map((f) => f.detail),
  ].join("; ");
  return { kind: "sensitive-action", contribution: base + extra, detail };
}
