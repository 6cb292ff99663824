import { describe, expect, it } from "vitest";
import {
  type ConversationStore,
  type ConversationTurn,
  MAX_STORED_TURNS,
  TITLE_CHARS,
} from "../../agent/conversation-store.js";

/**
 * The contract every ConversationStore keeps (called by local-conversation-store.test.ts and
 * s3-conversation-store.test.ts):
 * - appended turns read back in order; a conversation belongs to its user only; list is newest first
 *   with the first question (cut at TITLE_CHARS) as title
 * - user names of any shape are safe (slashes, dots, unicode) and kept apart
 * - at most MAX_STORED_TURNS turns are kept (the latest); concurrent appends all land
 * - delete removes it; invalid conversation ids are refused
 */
export function conversationStoreContract(name: string, open: () => Promise<ConversationStore>): void {
  const turn = (question: string, at: string): ConversationTurn => ({
    question,
    answer: `answer to ${question}`,
    lang: "en",
    at,
    model: "offline:catdata-offline-1",
    toolCalls: [{ name: "lookup_events", input: { maxResults: 5 }, status: "success", result: "{}" }],
    eventIds: ["e-1"],
  });

  describe(`${name} (ConversationStore contract)`, () => {
    it("reads appended turns back, per user, newest conversation first", async () => {
      const store = await open();
      await store.append("alice", "c1", turn("what did bob do", "2026-01-01T00:00:00.000Z"));
      await store.append("alice", "c1", turn("and next?", "2026-01-01T00:01:00.000Z"));
      await store.append("alice", "c2", turn("x".repeat(TITLE_CHARS + 20), "2026-01-02T00:00:00.000Z"));
      const c1 = await store.get("alice", "c1");
      expect(c1?.turns.map((t) => t.question)).toEqual(["what did bob do", "and next?"]);
      expect(c1?.turns[0]?.toolCalls[0]?.name).toBe("lookup_events");
      expect([c1?.createdAt, c1?.updatedAt]).toEqual(["2026-01-01T00:00:00.000Z", "2026-01-01T00:01:00.000Z"]);
      const list = await store.list("alice");
      expect(list.map((c) => [c.id, c.turns])).toEqual([
        ["c2", 1],
        ["c1", 2],
      ]);
      expect(list[0]?.title).toHaveLength(TITLE_CHARS);
      expect(await store.get("mallory", "c1")).toBeUndefined();
      expect(await store.list("mallory")).toEqual([]);
    });

    it("keeps users of any name apart", async () => {
      const store = await open();
      for (const user of ["../alice", "alice/..", "田中", "a.b@example.org"]) {
        await store.append(user, "same", turn(`from ${user}`, "2026-01-01T00:00:00.000Z"));
      }
      for (const user of ["../alice", "alice/..", "田中", "a.b@example.org"]) {
        expect((await store.get(user, "same"))?.turns.map((t) => t.question)).toEqual([`from ${user}`]);
      }
    });

    it(`keeps the latest ${MAX_STORED_TURNS} turns, and every concurrent append`, async () => {
      const store = await open();
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.append("carol", "busy", turn(`q${i}`, "2026-01-01T00:00:00.000Z"))),
      );
      expect((await store.get("carol", "busy"))?.turns).toHaveLength(10);
      for (let i = 10; i < MAX_STORED_TURNS + 5; i++) {
        await store.append("carol", "busy", turn(`q${i}`, "2026-01-01T00:00:00.000Z"));
      }
      const kept = (await store.get("carol", "busy"))?.turns ?? [];
      expect(kept).toHaveLength(MAX_STORED_TURNS);
      expect(kept[0]?.question).toBe("q5");
      expect(kept.at(-1)?.question).toBe(`q${MAX_STORED_TURNS + 4}`);
    }, 60_000); // over 200 sequential writes: seconds against an S3 server on a busy machine

    it("deletes, and refuses ids that are not 1–64 letters, digits, - or _", async () => {
      const store = await open();
      await store.append("dave", "gone", turn("q", "2026-01-01T00:00:00.000Z"));
      await store.delete("dave", "gone");
      expect(await store.get("dave", "gone")).toBeUndefined();
      for (const id of ["../x", "", "a".repeat(65), "a b"]) {
        await expect(store.get("dave", id)).rejects.toMatchObject({ code: "BAD_INPUT" });
        await expect(store.append("dave", id, turn("q", "2026-01-01T00:00:00.000Z"))).rejects.toMatchObject({
          code: "BAD_INPUT",
        });
      }
    });
  });
}
