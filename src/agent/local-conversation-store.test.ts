/**
 * Pins the local conversation store: the shared contract, files 0600 under its folder, and a
 * corrupt file reported as an INTEGRITY error (never overwritten).
 */
import { mkdtemp, readdir, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { conversationStoreContract } from "../testing/contracts/conversation-store.contract.js";
import { userSegment } from "./conversation-store.js";
import { LocalConversationStore } from "./local-conversation-store.js";

const tempRoot = () => mkdtemp(path.join(os.tmpdir(), "catdata-conversations-"));

conversationStoreContract("LocalConversationStore", async () => new LocalConversationStore(await tempRoot()));

describe("LocalConversationStore", () => {
  it("writes private files, and reports a corrupt one", async () => {
    const root = await tempRoot();
    const store = new LocalConversationStore(root);
    await store.append("alice", "c1", {
      question: "q",
      answer: "a",
      lang: "ja",
      at: "2026-01-01T00:00:00.000Z",
      model: "offline",
      toolCalls: [],
      eventIds: [],
    });
    const dir = path.join(root, userSegment("alice"));
    expect(await readdir(dir)).toEqual(["c1.json"]);
    expect((await stat(path.join(dir, "c1.json"))).mode & 0o777).toBe(0o600);
    await writeFile(path.join(dir, "c1.json"), "{ not json");
    await expect(store.get("alice", "c1")).rejects.toMatchObject({ code: "INTEGRITY" });
  });
});
