/**
 * A set of string keys kept as 64-bit hashes in flat typed arrays (open addressing), for dedup over
 * files of many millions of rows in bounded memory: 16 bytes a slot, half full at most, so ~32 bytes
 * per key instead of a few hundred for a Set<string>. Two independent 32-bit hashes make a false
 * "already seen" about one in 10^12 for 7 million keys.
 */
export class KeySet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private used: Uint8Array;
  size = 0;

  constructor(capacity = 1 << 16) {
    const n = 1 << Math.ceil(Math.log2(Math.max(16, capacity)));
    this.hi = new Uint32Array(n);
    this.lo = new Uint32Array(n);
    this.used = new Uint8Array(n);
  }

  /** Adds `key`; returns false when it was already there. */
  add(key: string): boolean {
    const [h1, h2] = keyHash(key);
    return this.addHash(h1, h2);
  }

  /** Adds a key by its `keyHash` (an identity index stores only these); returns false when it was already there. */
  addHash(h1: number, h2: number): boolean {
    if ((this.size + 1) * 2 > this.used.length) this.grow();
    return this.insert(h1, h2);
  }

  private insert(h1: number, h2: number): boolean {
    const mask = this.used.length - 1;
    let i = (h1 ^ (h2 >>> 7)) & mask;
    while (this.used[i]) {
      if (this.hi[i] === h1 && this.lo[i] === h2) return false;
      i = (i + 1) & mask;
    }
    this.used[i] = 1;
    this.hi[i] = h1;
    this.lo[i] = h2;
    this.size += 1;
    return true;
  }

  private grow(): void {
    const { hi, lo, used } = this;
    const n = used.length * 2;
    this.hi = new Uint32Array(n);
    this.lo = new Uint32Array(n);
    this.used = new Uint8Array(n);
    this.size = 0;
    for (let i = 0; i < used.length; i++) if (used[i]) this.insert(hi[i] ?? 0, lo[i] ?? 0);
  }
}

/** The key's two independent 32-bit hashes, as the set keeps them. */
export const keyHash = (key: string): [number, number] => [hash32(key, 0x811c9dc5), hash32(key, 0x9747b28c)];

/** FNV-1a over UTF-16 code units with a murmur3 finaliser; `seed` selects an independent hash. */
function hash32(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
