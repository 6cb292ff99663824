/**
 * Pins the next-action model's maths on small hand-made sequences:
 * - the Witten-Bell chain gives exactly the interpolated probability computed by hand, level by level
 * - an unseen context backs off to the principal's lower orders, its group, then the account
 * - a principal never seen is predicted from the account alone
 * - predictions over the whole vocabulary plus the unseen slot sum to 1; a ranked list sums to ≤ 1
 * - the recency level ranks a key repeated in the session first, even one never seen in training
 * - sessions split on the inactivity gap and start from START contexts
 */
import { describe, expect, it } from "vitest";
import { sequence } from "../../testing/behaviour.js";
import { START } from "./behaviour-event.js";
import { chainProbability, evidenceChain, nextActionProbability, predictNextActions } from "./next-action.js";
import { SessionTracker } from "./sessions.js";
import { trainInMemory } from "./train-memory.js";

const config = { sessionGapMs: 30 * 60_000 };
const T0 = Date.UTC(2024, 0, 1, 9);
const X = "s3.amazonaws.com:X";
const Y = "s3.amazonaws.com:Y";
const Z = "s3.amazonaws.com:Z";

describe("Witten-Bell chain", () => {
  const model = trainInMemory(sequence("alice", [X, Y, X, Z], T0), config);

  it("interpolates every level exactly as by hand", () => {
    // Counts after (c2, c1) = (Y, X): trigram {Z:1}; bigram after X {Y:1, Z:1}; unigram {X:2, Y:1, Z:1}.
    // Group and account hold the same counts (one principal); uniform floor 1/(V+1) with V = 3.
    const wb = (count: number, total: number, distinct: number, lower: number) =>
      (count + distinct * lower) / (total + distinct);
    let p = 1 / 4;
    for (const _population of ["account", "group"]) p = wb(1, 1, 1, wb(1, 2, 2, wb(1, 4, 3, p))); // uni → bi → tri
    const unigram = wb(1, 4, 3, p);
    const chain = evidenceChain(model, "alice", [Y, X], { recency: false });
    expect(chainProbability(chain, Z, 3)).toBeCloseTo(wb(1, 1, 1, wb(1, 2, 2, unigram)), 12);
    expect(chainProbability(chain, Z, 3)).toBeCloseTo(0.7393973214, 9);
    // The recency level sits between the principal's bigram and unigram: the session's keys [Y, X]
    // (Z not among them; 2 keys, 2 distinct).
    const recency = wb(0, 2, 2, unigram);
    expect(nextActionProbability(model, "alice", [Y, X], Z)).toBeCloseTo(wb(1, 1, 1, wb(1, 2, 2, recency)), 12);
  });

  it("sums to 1 over the vocabulary and the unseen slot; ranked lists sum to at most 1", () => {
    const chain = evidenceChain(model, "alice", [X]);
    const total = [X, Y, Z].reduce((s, k) => s + chainProbability(chain, k, 3), 0);
    expect(total + chainProbability(chain, "never:Seen", 3)).toBeCloseTo(1, 12);
    const top2 = predictNextActions(model, "alice", [X], 2);
    expect(top2).toHaveLength(2);
    expect(top2.reduce((s, p) => s + p.probability, 0)).toBeLessThanOrEqual(1);
    expect(top2[0]?.probability).toBeGreaterThanOrEqual(top2[1]?.probability ?? 1);
  });
});

describe("backoff", () => {
  const events = [
    ...sequence("alice", [X, Y, X, Y], T0),
    ...sequence("bob", [X, Z, X, Z], T0 + 3_600_000),
    ...sequence("ci", [Y, Y, Y], T0, { principalType: "AssumedRole" }),
  ];
  const model = trainInMemory(events, config);

  it("prefers the principal's own continuation, then its group's", () => {
    const alice = predictNextActions(model, "alice", [X], 3, { recency: false }).map((p) => p.eventKey);
    expect(alice[0]).toBe(Y);
    // Z never followed X for alice, but it did for bob (same group, IAMUser): it beats nothing.
    expect(nextActionProbability(model, "alice", [X], Z)).toBeGreaterThan(
      nextActionProbability(model, "alice", [X], "never:Seen"),
    );
  });

  it("predicts an unknown principal from the account: what sessions start with", () => {
    // Sessions start with X twice (alice, bob) and Y once (ci), although Y is the most frequent call.
    expect(predictNextActions(model, "nobody", [], 1)[0]?.eventKey).toBe(X);
    expect(evidenceChain(model, "nobody", [], { recency: false })).toHaveLength(3);
  });
});

describe("recency level", () => {
  const model = trainInMemory(sequence("alice", [X, Y, X, Y], T0), config);

  it("ranks a call repeated in the session first, even one never seen in training", () => {
    const W = "ec2.amazonaws.com:W";
    expect(predictNextActions(model, "alice", [W, W, W], 1)[0]?.eventKey).toBe(W);
    expect(predictNextActions(model, "alice", [W, W, W], 1, { recency: false })[0]?.eventKey).not.toBe(W);
  });
});

describe("sessions", () => {
  it("split on the gap and start from START", () => {
    const tracker = new SessionTracker(config.sessionGapMs);
    const a = tracker.step({ principal: "p", timeMs: T0, eventKey: X });
    const b = tracker.step({ principal: "p", timeMs: T0 + 60_000, eventKey: Y });
    const c = tracker.step({ principal: "p", timeMs: T0 + 120_000, eventKey: Z });
    const d = tracker.step({ principal: "p", timeMs: T0 + 120_000 + config.sessionGapMs + 1, eventKey: X });
    expect([a, b, c, d].map((s) => [s.c2, s.c1, s.session, s.position])).toEqual([
      [START, START, 0, 0],
      [START, X, 0, 1],
      [X, Y, 0, 2],
      [START, START, 1, 0],
    ]);
    expect(c.recent).toEqual([X, Y]);
  });

  it("continue from a seeded tail", () => {
    const tracker = new SessionTracker(config.sessionGapMs);
    tracker.seed("p", T0, [START, X]);
    expect(tracker.peek("p", T0 + 1000)).toMatchObject({ c2: START, c1: X, recent: [X] });
    expect(tracker.peek("p", T0 + config.sessionGapMs + 1)).toMatchObject({ c2: START, c1: START, recent: [] });
  });
});
