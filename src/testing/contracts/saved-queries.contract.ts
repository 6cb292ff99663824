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
        owner: "ana",
        createdBy: "ana",
        createdAt: "2024-05-01T09:00:00.000Z",
        version: 1,
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

    it("lets only the owner replace, or a caller allowed to replace anyone's (an admin)", async () => {
      const saved = await make(now);
      await saved.save({ name: "q", sql: "SELECT 1", createdBy: "admin" });
      await expect(
        saved.save({ name: "q", sql: "SELECT 666", createdBy: "ana" }, { replace: true }),
      ).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/belongs to admin/) });
      expect(await saved.get("q")).toMatchObject({ sql: "SELECT 1", owner: "admin", version: 1 });
      expect(await saved.versions("q")).toHaveLength(1);
      await saved.save({ name: "q", sql: "SELECT 2", createdBy: "admin" }, { replace: true });
      await saved.save({ name: "q", sql: "SELECT 3", createdBy: "root" }, { replace: true, mayReplaceAnyOwner: true });
      expect(await saved.get("q")).toMatchObject({ sql: "SELECT 3", owner: "admin", createdBy: "root", version: 3 });
    });

    it("keeps every replaced version, listed oldest first and readable by number; delete drops them all", async () => {
      let t = Date.parse("2024-05-01T09:00:00Z");
      const saved = await make(() => {
        t += 60_000;
        return new Date(t);
      });
      await saved.save({ name: "q", sql: "SELECT 1", description: "one", createdBy: "ana" });
      await saved.save({ name: "other", sql: "SELECT 0", createdBy: "ana" });
      await saved.save({ name: "q", sql: "SELECT 2", createdBy: "ana" }, { replace: true });
      await saved.save({ name: "q", sql: "SELECT 3", createdBy: "boss" }, { replace: true, mayReplaceAnyOwner: true });
      const versions = await saved.versions("q");
      expect(versions.map((v) => [v.version, v.sql, v.createdBy])).toEqual([
        [1, "SELECT 1", "ana"],
        [2, "SELECT 2", "ana"],
        [3, "SELECT 3", "boss"],
      ]);
      expect(versions.every((v) => v.owner === "ana")).toBe(true);
      expect(await saved.getVersion("q", 1)).toEqual(versions[0]);
      expect((await saved.get("q")).version).toBe(3);
      expect((await saved.list()).map((q) => [q.name, q.version])).toEqual([
        ["other", 1],
        ["q", 3],
      ]);
      await expect(saved.getVersion("q", 4)).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(saved.versions("nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
      await saved.delete("q");
      await expect(saved.versions("q")).rejects.toMatchObject({ code: "NOT_FOUND" });
      await saved.save({ name: "q", sql: "SELECT 9", createdBy: "kenji" });
      expect(await saved.versions("q")).toMatchObject([{ sql: "SELECT 9", owner: "kenji", version: 1 }]);
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
