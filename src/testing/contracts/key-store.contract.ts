import { createVerify, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { KeyStore } from "../../keys/key-store.js";
import { newSigningKey } from "../../keys/token-signing-keys.js";

/**
 * The behaviour every `KeyStore` must have. A backend's test calls `describeKeyStoreContract(name,
 * make)`; `make()` opens a store on fresh, empty storage, and `reopen(store)` a second store on the
 * same storage (another process). Run against `LocalKeyStore` (local-key-store.test.ts); there is
 * no other backend yet (Secrets Manager / KMS in AWS is to come), so no S3 run this step.
 */
export interface KeyStoreFactory {
  make(): Promise<KeyStore>;
  reopen(store: KeyStore): Promise<KeyStore>;
}

export function describeKeyStoreContract(name: string, factory: KeyStoreFactory): void {
  describe(`KeyStore contract: ${name}`, () => {
    it("has no token keys until written, then returns them whole, to another store too", async () => {
      const store = await factory.make();
      expect(await store.readTokenKeys()).toBeUndefined();
      expect(await store.tokenKeysRevision()).toBe("");
      const keys = [await newSigningKey(new Date("2024-05-01T09:00:00Z"))];
      const revision = await store.writeTokenKeys(keys);
      expect(revision).not.toBe("");
      expect(await store.readTokenKeys()).toEqual({ keys, revision });
      const other = await factory.reopen(store);
      expect(await other.readTokenKeys()).toEqual({ keys, revision });
      expect(await other.tokenKeysRevision()).toBe(revision);
    });

    it("changes the revision on every write, as another store sees", async () => {
      const store = await factory.make();
      const first = await store.writeTokenKeys([await newSigningKey(new Date("2024-05-01T09:00:00Z"))]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const next = [await newSigningKey(new Date("2024-05-01T10:00:00Z"))];
      const second = await (await factory.reopen(store)).writeTokenKeys(next);
      expect(second).not.toBe(first);
      expect(await store.tokenKeysRevision()).toBe(second);
      expect((await store.readTokenKeys())?.keys).toEqual(next);
    });

    it("creates the trail signing key once, and publishes its public half", async () => {
      const store = await factory.make();
      expect(await store.trailPublicKey()).toBeUndefined();
      const [key, same] = await Promise.all([store.trailSigningKey(), store.trailSigningKey()]);
      expect(same.fingerprint).toBe(key.fingerprint);
      expect(key.fingerprint).toMatch(/^[0-9a-f]{32}$/);
      expect((await (await factory.reopen(store)).trailSigningKey()).fingerprint).toBe(key.fingerprint);
      const publicPem = await store.trailPublicKey();
      expect(publicPem).toBe(key.publicKeyPem);
      const signed = sign("RSA-SHA256", Buffer.from("digest"), key.privateKey);
      expect(
        createVerify("RSA-SHA256")
          .update("digest")
          .verify(publicPem ?? "", signed),
      ).toBe(true);
    });
  });
}
