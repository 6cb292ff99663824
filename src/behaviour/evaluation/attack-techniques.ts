import { normaliseRecord } from "../../trail/parse/normalise.js";
import { readTrailFolder } from "../../trail/sources/read-files.js";
import { type BehaviourEvent, fromTrailEvent } from "../model/behaviour-event.js";

/**
 * Attack logs to inject, one technique per file (Stratus Red Team's detonation logs are named by
 * technique id, e.g. `aws.defense-evasion.cloudtrail-stop.json`), read with the normal trail reader.
 */
export interface AttackTechnique {
  technique: string;
  events: BehaviourEvent[];
}

export const recordsToEvents = (records: readonly unknown[], file: string): BehaviourEvent[] =>
  records
    .map((record, index) => fromTrailEvent(normaliseRecord(record, { file, index })))
    .filter((e): e is BehaviourEvent => e !== undefined);

export async function readAttackTechniques(folder: string): Promise<AttackTechnique[]> {
  const techniques: AttackTechnique[] = [];
  for await (const file of readTrailFolder(folder)) {
    const events = recordsToEvents(file.records, file.path);
    const technique = file.path.replace(/\.(json|jsonl|ndjson)(\.gz)?$/i, "");
    if (events.length > 0) techniques.push({ technique, events });
  }
  return techniques;
}
