/**
 * Pins the local key store (and runs the KeyStore contract against it):
 * - the token keys are `keys/signing-keys.json`, the trail key pair `keys/trail-signing.pem` and
 *   `keys/trail-signing.pub.pem` of the data directory, every file mode 0600, the folder 0700
 * - a trail key written by an earlier release (PKCS#8 PEM) is read back, not replaced
 * - an unreadable token key file is an error naming the file, not "no keys"
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DataDir } from "../local/data-dir.js";
import { describeKeyStoreContract } from "../testing/contracts/key-store.contract.js";
import { tempDir } from "../testing/fixtures.js";
import { LocalKeyStore } from "./local-key-store.js";
import { newSigningKey } from "./token-signing-keys.js";

const dirs = new WeakMap<LocalKeyStore, DataDir>();
function open(dir = new DataDir(tempDir("catdata-keys-"))): LocalKeyStore {
  const store = new LocalKeyStore(dir);
  dirs.set(store, dir);
  return store;
}

describeKeyStoreContract("local", {
  make: async () => open(),
  reopen: async (store) => open(dirs.get(store as LocalKeyStore)),
});

describe("LocalKeyStore", () => {
  it("keeps its files in the data directory's keys folder, readable by the owner only", async () => {
    const dir = new DataDir(tempDir("catdata-keys-"));
    const store = open(dir);
    await store.writeTokenKeys([await newSigningKey(new Date("2024-05-01T09:00:00Z"))]);
    await store.trailSigningKey();
    expect(dir.keys.root).toBe(path.join(dir.root, "keys"));
    for (const file of [dir.keys.tokenSigning, dir.keys.trailSigningPrivate, dir.keys.trailSigningPublic]) {
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
    }
    expect(statSync(dir.keys.root).mode & 0o777).toBe(0o700);
    expect(readFileSync(dir.keys.trailSigningPrivate, "utf8")).toMatch(/^-{5}BEGIN PRIVATE KEY-{5}\n/);
  });

  it("reads a trail key that is already there instead of making a new one", async () => {
    const dir = new DataDir(tempDir("catdata-keys-"));
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    mkdirSync(dir.keys.root, { recursive: true });
    writeFileSync(dir.keys.trailSigningPrivate, privateKey.export({ type: "pkcs8", format: "pem" }));
    const key = await open(dir).trailSigningKey();
    expect(key.privateKey.export({ type: "pkcs8", format: "pem" })).toBe(
      privateKey.export({ type: "pkcs8", format: "pem" }),
    );
    expect(readFileSync(dir.keys.trailSigningPublic, "utf8")).toBe(key.publicKeyPem);
  });

  it("reports an unreadable token key file, naming it", async () => {
    const dir = new DataDir(tempDir("catdata-keys-"));
    mkdirSync(dir.keys.root, { recursive: true });
    writeFileSync(dir.keys.tokenSigning, "{ not json");
    await expect(open(dir).readTokenKeys()).rejects.toThrow(`cannot read the signing keys ${dir.keys.tokenSigning}`);
  });
});
