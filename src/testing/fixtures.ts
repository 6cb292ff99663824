import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Config, loadConfig } from "../config/config.js";

/** Where the shared real data lives (CATDATA_SAMPLES_DIR, default ../shared/data). */
export const samplesDir = path.resolve(process.env.CATDATA_SAMPLES_DIR ?? "../shared/data");
export const hasSamples = existsSync(samplesDir);
export const sample = (...parts: string[]) => path.join(samplesDir, ...parts);

/** A configuration rooted in a fresh temp directory, with its key outside the data directory. */
export function tempConfig(overrides: Record<string, string> = {}): Config {
  const dir = mkdtempSync(path.join(os.tmpdir(), "catdata-test-"));
  return loadConfig({
    CATDATA_HOME: path.join(dir, "home"),
    CATDATA_KEY_FILE: path.join(dir, "keys", "master.key"),
    CATDATA_LOG_LEVEL: "silent",
    CATDATA_DEMO: "false",
    ...overrides,
  });
}

export const tempDir = (prefix = "catdata-") => mkdtempSync(path.join(os.tmpdir(), prefix));
