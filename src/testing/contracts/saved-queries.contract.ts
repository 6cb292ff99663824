import { describe, expect, it } from "vitest";
import type { SavedQueries } from "../../sql/saved-queries.js";

/**
 * The behaviour every `SavedQueries` must have. A backend's test calls
 * `describeSavedQueriesContract(name, make)`; `make(now)` opens an empty one on the given clock.
 * Run against `LocalSavedQueries` (local-saved-queries.test.ts); there is no other backend yet
 * (Athena named queries are to come), so no S3 run this step.
 */
const now = () => new Date("2024-05-01T09:00:00Z");

export function describeSavedQueriesContract(name: string, make: (now: () => Date) => Promise<SavedQueries>): void {
  describe(`SavedQueries contract: ${name}`, () => {
    it("saves, lists (by name), gets and deletes by name", async () => {
      const saved = await make(now);
      await saved.save({
        name: "strays",
        sql: "SELECT * FROM intakes WHERE intake_type = 'stray'",
        createdBy: "kenji",
      });
      await saved.save({ name: "all-intakes", sql: "FROM intakes", description: "everything", createdBy: "ana" });
      expect((await saved.list()).map((q) => q.name)).toEqual(["all-intakes", "strays"]);
      expect(await saved.get("all-intakes")).toEqual({
        name: "all-intakes",
        sql: "FROM intakes",
        description: "everything",
        createdBy: "ana",
        createdAt: "2024-05-01T09:00:00.000Z",
      });
      expect((await saved.get("strays")).description).toBe("");
      await saved.delete("strays");
      expect((await saved.list()).map((q) => q.name)).toEqual(["all-intakes"]);
      await expect(saved.get("strays")).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(saved.delete("strays")).rejects.toMatchObject({ code: "NOT_FOUND" });
    });

    it("refuses bad names and SQL that is not read-only", async () => {
      const saved = await make(now);
      for (const name of ["Strays", "a b", "", "x".repeat(65), "../etc"]) {
        await expect(saved.save({ name, sql: "SELECT 1", createdBy: "k" })).rejects.toThrow(/invalid query name/);
      }
      await expect(saved.save({ name: "evil", sql: "ATTACH '/tmp/x.db'", createdBy: "k" })).rejects.toThrow(
        /found ATTACH/,
      );
      expect(await saved.list()).toEqual([]);
    });

    it("conflicts on an existing name unless replacing", async () => {
      const saved = await make(now);
      await saved.save({ name: "q", sql: "SELECT 1", createdBy: "k" });
      await expect(saved.save({ name: "q", sql: "SELECT 2", createdBy: "k" })).rejects.toMatchObject({
        code: "CONFLICT",
      });
      await saved.save({ name: "q", sql: "SELECT 2", createdBy: "k" }, { replace: true });
      expect((await saved.get("q")).sql).toBe("SELECT 2");
      expect(await saved.list()).toHaveLength(1);
    });

    it("keeps every concurrent save", async () => {
      const saved = await make(now);
      await Promise.all(
        ["a", "b", "c", "d"].map((name) => saved.save({ name, sql: `SELECT '${name}'`, createdBy: "k" })),
      );
      expect((await saved.list()).map((q) => q.name)).toEqual(["a", "b", "c", "d"]);
    });
  });
}
