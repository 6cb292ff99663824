/**
 * What an anomaly score is made of: reasons, each a kind of signal, its contribution in bits and a
 * sentence saying what was unusual. The score of an event is the sum of its contributions.
 */
export type ReasonKind =
  | "improbable-transition"
  | "first-seen-api"
  | "first-seen-service"
  | "first-seen-region"
  | "first-seen-source-ip"
  | "first-seen-user-agent"
  | "first-seen-principal"
  | "off-hours"
  | "access-denied-burst"
  | "enumeration"
  | "sensitive-action";

export const REASON_KINDS: readonly ReasonKind[] = [
  "improbable-transition",
  "first-seen-api",
  "first-seen-service",
  "first-seen-region",
  "first-seen-source-ip",
  "first-seen-user-agent",
  "first-seen-principal",
  "off-hours",
  "access-denied-burst",
  "enumeration",
  "sensitive-action",
];

export interface AnomalyReason {
  kind: ReasonKind;
  /** Bits added to the score. */
  contribution: number;
  detail: string;
}

/** One scored event, as the CLI, the API and the MCP tools return it. */
export interface ScoredEvent {
  eventID: string;
  /** ISO 8601 UTC. */
  eventTime: string;
  principal: string;
  eventKey: string;
  score: number;
  reasons: AnomalyReason[];
  /** The principal's session number (counted from where scoring began) and position in it. */
  session: number;
}
