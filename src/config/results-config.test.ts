/**
 * Pins CATDATA_MAX_RESULT_BYTES: default 64 MiB; accepted from 1 KiB to 256 MiB inclusive; one byte
 * outside either end (or not a whole number) fails naming the variable.
 */
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { DEFAULT_MAX_RESULT_BYTES, MAX_MAX_RESULT_BYTES, MIN_MAX_RESULT_BYTES } from "./results-config.js";

const load = (value?: string) => loadConfig(value === undefined ? {} : { CATDATA_MAX_RESULT_BYTES: value }, "/tmp");

describe("CATDATA_MAX_RESULT_BYTES", () => {
  it("defaults to 64 MiB and accepts 1 KiB to 256 MiB", () => {
    expect(load().results.maxBytes).toBe(64 * 1024 ** 2);
    expect(DEFAULT_MAX_RESULT_BYTES).toBe(64 * 1024 ** 2);
    expect(load(String(MIN_MAX_RESULT_BYTES)).results.maxBytes).toBe(1024);
    expect(load(String(MAX_MAX_RESULT_BYTES)).results.maxBytes).toBe(256 * 1024 ** 2);
  });

  it("refuses values outside the range, naming the variable", () => {
    for (const value of [String(MIN_MAX_RESULT_BYTES - 1), String(MAX_MAX_RESULT_BYTES + 1), "1.5e3x", "64MiB"]) {
      expect(() => load(value), value).toThrow(/CATDATA_MAX_RESULT_BYTES=/);
    }
  });
});
