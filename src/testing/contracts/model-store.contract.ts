import { describe, expect, it } from "vitest";
import type { ModelStore } from "../../behaviour/model/model-store.js";
import { trainInMemory } from "../../behaviour/model/train-memory.js";
import { sequence } from "../behaviour.js";

/**
 * The contract every `ModelStore` meets (run by local-model-store.test.ts and s3-model-store.test.ts):
 * nothing and no stamp before the first write; a written model reads back with the same counts and
 * meta; a second write replaces it and changes the stamp; a store opened again reads the same model;
 * a stored model whose bytes changed (a count edited, still valid JSON) is refused with INTEGRITY.
 */
export interface ModelStoreFixture {
  store: ModelStore;
  reopen(): ModelStore;
  /** Rewrites the stored bytes where the store keeps them (the file, the object). */
  tamper(edit: (text: string) => string): Promise<void>;
}

const T0 = Date.UTC(2024, 4, 1, 9);
const model = (keys: string[]) => trainInMemory(sequence("alice", keys, T0), { sessionGapMs: 30 * 60_000 });
const meta = (trainedAt: string, count: number) => ({ trainedAt, parts: { count, digest: `d${count}` } });

export function describeModelStoreContract(name: string, make: () => Promise<ModelStoreFixture>): void {
  describe(`ModelStore contract: ${name}`, () => {
    it("holds nothing, with no stamp, before the first write", async () => {
      const { store } = await make();
      expect(await store.read()).toBeUndefined();
      expect(await store.stamp()).toBeUndefined();
    });

    it("reads back what was written, replaces it on the next write, and changes the stamp", async () => {
      const { store, reopen } = await make();
      await store.write(model(["s3:ListBuckets", "s3:GetObject"]), meta("2024-06-01T00:00:00.000Z", 1));
      const first = await store.stamp();
      expect(first).toBeDefined();
      const read = await store.read();
      expect(read?.meta).toEqual(meta("2024-06-01T00:00:00.000Z", 1));
      expect(read?.model.events).toBe(2);
      expect(read?.model.principal("alice")?.tail).toEqual(["s3:ListBuckets", "s3:GetObject"]);

      await store.write(model(["s3:ListBuckets", "s3:GetObject", "s3:PutObject"]), meta("2024-06-02T00:00:00.000Z", 2));
      expect(await store.stamp()).not.toBe(first);
      const again = await reopen().read();
      expect(again?.meta.trainedAt).toBe("2024-06-02T00:00:00.000Z");
      expect(again?.model.events).toBe(3);
    });

    it("refuses a stored model whose bytes changed, even when they still parse", async () => {
      const { store, tamper } = await make();
      await store.write(model(["s3:ListBuckets", "s3:GetObject"]), meta("2024-06-01T00:00:00.000Z", 1));
      let edited = false;
      await tamper((text) => {
        const out = text.replace(
          /("principals":.*?)(\d+)/,
          (_, before: string, n: string) => `${before}${Number(n) + 1}`,
        );
        edited = out !== text && JSON.parse(out) !== undefined;
        return out;
      });
      expect(edited).toBe(true);
      await expect(store.read()).rejects.toMatchObject({
        code: "INTEGRITY",
        message: expect.stringContaining(store.location),
        hint: expect.stringContaining("catdata trail train --rebuild"),
      });
    });
  });
}
