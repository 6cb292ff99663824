import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { KeyedQueue } from "../local/key-queue.js";
import { refreshFailed } from "./auth-error.js";
import type { Clock } from "./clock.js";
import { JsonFile } from "./json-file.js";

/**
 * Refresh tokens: opaque random strings, stored only as SHA-256 hashes in one file (`refresh-tokens.json` of the data directory).
 * A sign-in starts a family that lives 30 days (no sliding); each use rotates the token (the old one is
 * marked used, a new one of the same family is returned). Presenting a used token again means it was
 * copied: the whole family is revoked, so the thief and the victim both have to sign in again.
 */
interface StoredToken {
  hash: string;
  family: string;
  username: string;
  /** Epoch ms; the family's expiry, shared by every rotation. */
  expiresAt: number;
  usedAt: number | null;
  revokedAt: number | null;
}

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;

const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");

export interface IssuedRefreshToken {
  token: string;
  username: string;
  expiresAt: Date;
}

export class RefreshTokenStore {
  private readonly store: JsonFile<StoredToken[]>;

  constructor(
    file: string,
    private readonly clock: Clock,
    queue?: KeyedQueue,
    private readonly ttlMs = REFRESH_TOKEN_TTL_MS,
  ) {
    this.store = new JsonFile<StoredToken[]>(file, () => [], queue);
  }

  /** Starts a new family for a fresh sign-in. */
  issue(username: string): Promise<IssuedRefreshToken> {
    const now = this.clock().getTime();
    return this.store.update((all) => this.add(prune(all, now), username, randomUUID(), now + this.ttlMs));
  }

  /** Exchanges a token for its successor; refuses unknown, expired, revoked and reused tokens. */
  rotate(token: string): Promise<IssuedRefreshToken> {
    const now = this.clock().getTime();
    const hash = sha256(token);
    return this.store
      .update((all) => {
        const found = all.find((t) => t.hash === hash);
        if (!found) throw refreshFailed("RefreshTokenInvalid");
        if (found.revokedAt !== null) throw refreshFailed("RefreshTokenInvalid");
        if (found.expiresAt <= now) throw refreshFailed("RefreshTokenExpired");
        if (found.usedAt !== null) {
          revokeWhere(all, (t) => t.family === found.family, now);
          return { reuse: true } as const;
        }
        found.usedAt = now;
        return this.add(all, found.username, found.family, found.expiresAt);
      })
      .then((result) => {
        // Thrown after the update so the family's revocation is written.
        if ("reuse" in result) throw refreshFailed("RefreshTokenReuse");
        return result;
      });
  }

  /** Revokes the family of `token` (sign-out); unknown tokens are ignored. */
  revoke(token: string): Promise<void> {
    const hash = sha256(token);
    const now = this.clock().getTime();
    return this.store.update((all) => {
      const family = all.find((t) => t.hash === hash)?.family;
      if (family) revokeWhere(all, (t) => t.family === family, now);
    });
  }

  /** Revokes every token of a user (password change, reset, disable); returns how many it revoked. */
  revokeUser(username: string): Promise<number> {
    const now = this.clock().getTime();
    return this.store.update((all) => revokeWhere(all, (t) => t.username === username, now));
  }

  private add(all: StoredToken[], username: string, family: string, expiresAt: number): IssuedRefreshToken {
    const token = randomBytes(32).toString("base64url");
    all.push({ hash: sha256(token), family, username, expiresAt, usedAt: null, revokedAt: null });
    return { token, username, expiresAt: new Date(expiresAt) };
  }
}

function revokeWhere(all: StoredToken[], match: (t: StoredToken) => boolean, now: number): number {
  let n = 0;
  for (const t of all) {
    if (match(t) && t.revokedAt === null) {
      t.revokedAt = now;
      n += 1;
    }
  }
  return n;
}

/** Drops expired families: reuse detection only matters while the family could still be used. */
function prune(all: StoredToken[], now: number): StoredToken[] {
  const live = all.filter((t) => t.expiresAt > now);
  all.splice(0, all.length, ...live);
  return all;
}
