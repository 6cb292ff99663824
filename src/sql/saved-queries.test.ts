/**
 * Pins saved named queries:
 * - save / list (by name) / get / delete round-trip through <home>/queries/saved.json
 * - each keeps its SQL, description, creator and creation time
 * - names outside [a-z0-9-]{1,64} and SQL that is not read-only are refused at save time
 * - saving an existing name is a conflict unless replacing; unknown names are NOT_FOUND
 * - concurrent saves in one process all land; a corrupt file is reported, not overwritten
 */
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { tempDir } from "../testing/fixtures.js";
import { SavedQueries } from "./saved-queries.js";

const now = () => new Date("2024-05-01T09:00:00Z");

describe("SavedQueries", () => {
  it("saves, lists, gets and deletes by name", async () => {
    const saved = new SavedQueries(tempDir(), now);
    await saved.save({ name: "strays", sql: "SELECT * FROM intakes WHERE intake_type = 'stray'", createdBy: "kenji" });
    await saved.save({ name: "all-intakes", sql: "FROM intakes", description: "everything", createdBy: "ana" });
    expect((await saved.list()).map((q) => q.name)).toEqual(["all-intakes", "strays"]);
    expect(await saved.get("all-intakes")).toEqual({
      name: "all-intakes",
      sql: "FROM intakes",
      description: "everything",
      createdBy: "ana",
      createdAt: "2024-05-01T09:00:00.000Z",
    });
    expect(JSON.parse(readFileSync(saved.file, "utf8")).queries).toHaveLength(2);
    await saved.delete("strays");
    expect((await saved.list()).map((q) => q.name)).toEqual(["all-intakes"]);
    await expect(saved.get("strays")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(saved.delete("strays")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses bad names and SQL that is not read-only", async () => {
    const saved = new SavedQueries(tempDir(), now);
    for (const name of ["Strays", "a b", "", "x".repeat(65), "../etc"]) {
      await expect(saved.save({ name, sql: "SELECT 1", createdBy: "k" })).rejects.toThrow(/invalid query name/);
    }
    await expect(saved.save({ name: "evil", sql: "ATTACH '/tmp/x.db'", createdBy: "k" })).rejects.toThrow(
      /found ATTACH/,
    );
    expect(await saved.list()).toEqual([]);
  });

  it("conflicts on an existing name unless replacing", async () => {
    const saved = new SavedQueries(tempDir(), now);
    await saved.save({ name: "q", sql: "SELECT 1", createdBy: "k" });
    await expect(saved.save({ name: "q", sql: "SELECT 2", createdBy: "k" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await saved.save({ name: "q", sql: "SELECT 2", createdBy: "k" }, { replace: true });
    expect((await saved.get("q")).sql).toBe("SELECT 2");
  });

  it("keeps every concurrent save and reports a corrupt file", async () => {
    const saved = new SavedQueries(tempDir(), now);
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
