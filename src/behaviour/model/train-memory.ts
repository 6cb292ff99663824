import { type BehaviourEvent, compareEvents } from "./behaviour-event.js";
import { type BehaviourConfig, BehaviourModel } from "./behaviour-model.js";
import { SessionTracker } from "./sessions.js";

/**
 * Training in memory: events in canonical order, each counted with its session context. The
 * reference the SQL training is tested against, and what the evaluation harness uses on splits.
 */
export function trainInMemory(events: readonly BehaviourEvent[], config: BehaviourConfig): BehaviourModel {
  const model = new BehaviourModel(config);
  addInMemory(model, events);
  return model;
}

/** Adds events after each principal's high-water mark (earlier ones are skipped, as in SQL training). */
export function addInMemory(model: BehaviourModel, events: readonly BehaviourEvent[]): number {
  const sorted = [...events].sort(compareEvents);
  const sessions = new SessionTracker(model.config.sessionGapMs);
  let added = 0;
  for (const event of sorted) {
    const step = sessions.step(event);
    const known = model.principal(event.principal);
    if (known && !known.isAfterMark(event)) continue;
    model.add(event, step.c2, step.c1);
    added += 1;
  }
  return added;
}
