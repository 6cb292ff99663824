import type { BehaviourEvent } from "./behaviour-event.js";
import { NgramCounts } from "./ngram-counts.js";
import { type PrincipalBatch, PrincipalCounts } from "./principal-counts.js";

/**
 * The behaviour model of an account: counts per principal, and the n-grams of each principal
 * group (its identity type: IAMUser, AssumedRole, AWSService, …) and of the whole account, which
 * the next-action model backs off to. Group and account counts are sums over principals, so they
 * are rebuilt on load and never stored twice.
 */
export interface BehaviourConfig {
  /** Inactivity gap that ends a session, in milliseconds. */
  sessionGapMs: number;
}

export class BehaviourModel {
  readonly principals = new Map<string, PrincipalCounts>();
  readonly groups = new Map<string, NgramCounts>();
  readonly account = new NgramCounts();

  constructor(readonly config: BehaviourConfig) {}

  principal(id: string): PrincipalCounts | undefined {
    return this.principals.get(id);
  }

  group(id: string): NgramCounts | undefined {
    const principal = this.principals.get(id);
    return principal && this.groups.get(principal.principalType);
  }

  /** Counts one event (in canonical order) whose session context is c2 c1. */
  add(event: BehaviourEvent, c2: string, c1: string): void {
    this.countsOf(event.principal).add(event, c2, c1);
    this.groupNamed(event.principalType).add(c2, c1, event.eventKey);
    this.account.add(c2, c1, event.eventKey);
  }

  addBatch(principal: string, batch: PrincipalBatch): void {
    this.countsOf(principal).addBatch(batch);
    const group = this.groupNamed(batch.principalType);
    for (const [c2, c1, next, n] of batch.transitions) {
      group.add(c2, c1, next, n);
      this.account.add(c2, c1, next, n);
    }
  }

  /** Total events counted, over every principal. */
  get events(): number {
    return this.account.total;
  }

  private countsOf(id: string): PrincipalCounts {
    let counts = this.principals.get(id);
    if (!counts) {
      counts = new PrincipalCounts();
      this.principals.set(id, counts);
    }
    return counts;
  }

  private groupNamed(type: string): NgramCounts {
    let group = this.groups.get(type);
    if (!group) {
      group = new NgramCounts();
      this.groups.set(type, group);
    }
    return group;
  }
}
