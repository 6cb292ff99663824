/**
 * Pins the S3 conversation store against s3rver (an S3-compatible server on 127.0.0.1): the shared
 * contract, and where the objects are (agent/conversations/<user>/<id>.json).
 */
import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversationStoreContract } from "../testing/contracts/conversation-store.contract.js";
import { startS3rver, type TestS3 } from "../testing/s3.js";
import { userSegment } from "./conversation-store.js";
import { S3ConversationStore } from "./s3-conversation-store.js";

let s3: TestS3;
let n = 0;
beforeAll(async () => {
  s3 = await startS3rver(["conversations-bucket"]);
});
afterAll(async () => s3?.close());

const open = async () => {
  n += 1;
  return new S3ConversationStore({
    bucket: "conversations-bucket",
    region: "us-east-1",
    client: s3.client,
    prefix: `run-${n}/agent/conversations/`,
  });
};

conversationStoreContract("S3ConversationStore", open);

describe("S3ConversationStore", () => {
  it("keeps each conversation as one object under agent/conversations/<user>/", async () => {
    const store = new S3ConversationStore({ bucket: "conversations-bucket", region: "us-east-1", client: s3.client });
    await store.append("alice", "c1", {
      question: "q",
      answer: "a",
      lang: "en",
      at: "2026-01-01T00:00:00.000Z",
      model: "offline",
      toolCalls: [],
      eventIds: [],
    });
    const listed = await s3.client.send(
      new ListObjectsV2Command({ Bucket: "conversations-bucket", Prefix: "agent/conversations/" }),
    );
    expect(listed.Contents?.map((o) => o.Key)).toEqual([`agent/conversations/${userSegment("alice")}/c1.json`]);
  });

  it("reports an object that is not a conversation as INTEGRITY, and never overwrites it", async () => {
    const store = new S3ConversationStore({ bucket: "conversations-bucket", region: "us-east-1", client: s3.client });
    const key = `agent/conversations/${userSegment("dave")}/c9.json`;
    await s3.client.send(new PutObjectCommand({ Bucket: "conversations-bucket", Key: key, Body: '{"id": "c9", "tur' }));
    await expect(store.get("dave", "c9")).rejects.toMatchObject({ code: "INTEGRITY" });
    const turn = {
      question: "q",
      answer: "a",
      lang: "en" as const,
      at: "2026-01-01T00:00:00.000Z",
      model: "m",
      toolCalls: [],
      eventIds: [],
    };
    await expect(store.append("dave", "c9", turn)).rejects.toMatchObject({ code: "INTEGRITY" });
    const res = await s3.client.send(new ListObjectsV2Command({ Bucket: "conversations-bucket", Prefix: key }));
    expect(res.Contents?.[0]?.Size).toBe('{"id": "c9", "tur'.length);
  });
});
