import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CatdataError } from "../errors.js";

/**
 * The store's 256-bit master key, kept in a file outside the data directory (mode 0600), created on
 * first use. Losing it makes the stored data unreadable; the error says so instead of guessing.
 */
export function loadOrCreateMasterKey(keyFile: string, dataDir?: string): Buffer {
  if (dataDir !== undefined) {
    const rel = path.relative(path.resolve(dataDir), path.resolve(keyFile));
    if (!rel.startsWith("..") && !path.isAbsolute(rel)) {
      throw new CatdataError("CONFIG_INVALID", `CATDATA_KEY_FILE (${keyFile}) lies inside the data directory`, {
        hint: "keep the key outside CATDATA_HOME, so a copy of the data alone cannot be read",
      });
    }
  }
  if (existsSync(keyFile)) {
    const text = readFileSync(keyFile, "utf8").trim();
    const key = Buffer.from(text, "base64");
    if (key.length !== 32) {
      throw new CatdataError("CONFIG_INVALID", `the master key in ${keyFile} is not 32 base64-encoded bytes`, {
        hint: "restore the key file from your backup; a new key cannot read data written under the old one",
      });
    }
    return key;
  }
  mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(keyFile, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(keyFile, 0o600);
  return key;
}
