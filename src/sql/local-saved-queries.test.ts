/**
 * Pins saved named queries on local disk (and runs the SavedQueries contract against them):
 * - save / list (by name) / get / delete round-trip through the data directory's queries/saved.json
 * - each keeps its SQL, description, creator and creation time
 * - names outside [a-z0-9-]{1,64} and SQL that is not read-only are refused at save time
 * - saving an existing name is a conflict unless replacing; unknown names are NOT_FOUND
 * - concurrent saves in one process all land; a corrupt file is reported, not overwritten
 * - a version 1 file (before owners and versions) reads as first versions owned by their creators
 * - the file is mode 0600
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DataDir } from "../local/data-dir.js";
import { describeSavedQueriesContract } from "../testing/contracts/saved-queries.contract.js";
import { tempDir } from "../testing/fixtures.js";
import { LocalSavedQueries } from "./local-saved-queries.js";

const now = () => new Date("2024-05-01T09:00:00Z");
const open = (dir = new DataDir(tempDir())) => new LocalSavedQueries(dir, now);

describeSavedQueriesContract("local", async (clock) => new LocalSavedQueries(new DataDir(tempDir()), clock));

describe("LocalSavedQueries", () => {
  it("keeps the queries in queries/saved.json of the data directory, mode 0600", async () => {
    const dir = new DataDir(tempDir());
    const saved = open(dir);
    await saved.save({ name: "strays", sql: "SELECT * FROM intakes WHERE intake_type = 'stray'", createdBy: "kenji" });
    await saved.save({ name: "all-intakes", sql: "FROM intakes", description: "everything", createdBy: "ana" });
    expect(saved.file).toBe(path.join(dir.root, "queries", "saved.json"));
    expect(JSON.parse(readFileSync(saved.file, "utf8")).queries).toHaveLength(2);
    expect(statSync(saved.file).mode & 0o777).toBe(0o600);
    expect((await open(dir).list()).map((q) => q.name)).toEqual(["all-intakes", "strays"]);
  });

  it("reads a version 1 file: each query owned by its creator, at version 1", async () => {
    const saved = open();
    const legacy = {
      name: "strays",
      sql: "SELECT 1",
      description: "",
      createdBy: "ana",
      createdAt: "2024-01-01T00:00:00Z",
    };
    mkdirSync(path.dirname(saved.file), { recursive: true });
    writeFileSync(saved.file, JSON.stringify({ version: 1, queries: [legacy] }));
    expect(await saved.get("strays")).toEqual({ ...legacy, owner: "ana", version: 1 });
    await expect(
      saved.save({ name: "strays", sql: "SELECT 2", createdBy: "bob" }, { replace: true }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await saved.save({ name: "strays", sql: "SELECT 2", createdBy: "ana" }, { replace: true });
    expect((await saved.versions("strays")).map((q) => q.sql)).toEqual(["SELECT 1", "SELECT 2"]);
    expect(JSON.parse(readFileSync(saved.file, "utf8")).version).toBe(2);
  });

  it("keeps every concurrent save and reports a corrupt file", async () => {
    const saved = open();
    await Promise.all(
      ["a", "b", "c", "d"].map((name) => saved.save({ name, sql: `SELECT '${name}'`, createdBy: "k" })),
    );
    expect((await saved.list()).map((q) => q.name)).toEqual(["a", "b", "c", "d"]);
    writeFileSync(saved.file, "{ not json");
    await expect(saved.list()).rejects.toThrow(/not a valid saved-queries file/);
    await expect(saved.save({ name: "e", sql: "SELECT 1", createdBy: "k" })).rejects.toMatchObject({
      code: "INTEGRITY",
    });
    expect(readFileSync(saved.file, "utf8")).toBe("{ not json");
  });
});
