/**
 * A small seeded pseudo-random generator (mulberry32) and the draws the demo generator needs.
 * Everything random in the demo goes through a `Random` passed in, so a seed fixes the output.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;
export type RandomFactory = (seed: number) => Random;

/** mulberry32: 32-bit state, fast, good enough for synthetic data (not for cryptography). */
export const mulberry32: RandomFactory = (seed) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** FNV-1a hash of a string mixed with a seed: an independent sub-seed per municipality. */
export function subSeed(seed: number, key: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** An integer in [min, max], both inclusive. */
export const int = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

export const chance = (random: Random, p: number): boolean => random() < p;

/** One of the items, with probability proportional to its weight. */
export function weighted<T>(random: Random, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let x = random() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  const last = items[items.length - 1];
  if (!last) throw new RangeError("weighted() needs at least one item");
  return last[0];
}

/** One of the items, uniformly. */
export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError("pick() needs at least one item");
  return item;
}

/** An exponential draw with this mean. */
export const exponential = (random: Random, mean: number): number => -mean * Math.log(1 - random());

/** A Poisson count with mean `lambda` (Knuth's method; normal approximation above 40). */
export function poisson(random: Random, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 40) {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(lambda + z * Math.sqrt(lambda)));
  }
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}
