/**
 * Pins `config.ingest` (the upload readers' caps):
 * - the documented defaults: line and record 1 MiB, cell 128 KiB, decompressed 2 GiB, shared strings
 *   64 MiB, JSON depth 64
 * - each CATDATA_MAX_… variable sets its cap; a value below its minimum or not a whole number fails
 *   naming the variable
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_INGEST_LIMITS } from "../etl/limits.js";
import { loadConfig } from "./config.js";

describe("loadConfig: ingest", () => {
  it("has the documented defaults", () => {
    expect(loadConfig({}, "/srv").ingest).toEqual({
      maxLineBytes: 1024 ** 2,
      maxCellBytes: 128 * 1024,
      maxRecordBytes: 1024 ** 2,
      maxDecompressedBytes: 2 * 1024 ** 3,
      maxSharedStringsBytes: 64 * 1024 ** 2,
      maxJsonDepth: 64,
    });
    expect(loadConfig({}, "/srv").ingest).toEqual(DEFAULT_INGEST_LIMITS);
  });

  it("takes each cap from its variable and names a wrong one", () => {
    const config = loadConfig(
      {
        CATDATA_MAX_LINE_BYTES: "4096",
        CATDATA_MAX_CELL_BYTES: "256",
        CATDATA_MAX_RECORD_BYTES: "8192",
        CATDATA_MAX_DECOMPRESSED_BYTES: "1048576",
        CATDATA_MAX_SHARED_STRINGS_BYTES: "65536",
        CATDATA_MAX_JSON_DEPTH: "2",
      },
      "/srv",
    );
    expect(config.ingest).toEqual({
      maxLineBytes: 4096,
      maxCellBytes: 256,
      maxRecordBytes: 8192,
      maxDecompressedBytes: 1048576,
      maxSharedStringsBytes: 65536,
      maxJsonDepth: 2,
    });
    expect(() => loadConfig({ CATDATA_MAX_CELL_BYTES: "255" }, "/srv")).toThrow(/CATDATA_MAX_CELL_BYTES="255"/);
    expect(() => loadConfig({ CATDATA_MAX_JSON_DEPTH: "1.5" }, "/srv")).toThrow(/CATDATA_MAX_JSON_DEPTH/);
  });
});
