import { DeleteObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { CatdataError } from "../errors.js";
import { S3Objects } from "../etl/s3-objects.js";
import { KeyedQueue } from "../local/key-queue.js";
import { s3ClientFor } from "../store/s3-client.js";
import {
  appendTurn,
  assertConversationId,
  type Conversation,
  type ConversationStore,
  type ConversationSummary,
  type ConversationTurn,
  conversationSchema,
  newestFirst,
  summarise,
  userSegment,
} from "./conversation-store.js";

/**
 * Conversation history in the bucket (CATDATA_STORE=s3), beside the job log:
 * `agent/conversations/<user>/<id>.json` (the user name base64url-encoded), SSE-S3 encrypted.
 * Appends are serialised per conversation within this process; a conversation is only ever
 * written by the process holding its agent.
 */
export interface S3ConversationStoreOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  client?: S3Client;
  prefix?: string;
}

/** Re-reads of an object that does not parse before it is reported corrupt, and the first pause (ms). */
export const READ_RETRIES = 3;
export const READ_RETRY_MS = 50;

export class S3ConversationStore implements ConversationStore {
  private readonly objects: S3Objects;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly queue = new KeyedQueue();

  constructor(options: S3ConversationStoreOptions) {
    this.client = s3ClientFor(options);
    this.bucket = options.bucket;
    this.objects = new S3Objects(this.client, options.bucket);
    this.prefix = options.prefix ?? "agent/conversations/";
  }

  async list(user: string): Promise<ConversationSummary[]> {
    const keys = await this.objects.keys(`${this.prefix}${userSegment(user)}/`);
    const ids = keys.filter((k) => k.endsWith(".json")).map((k) => (k.split("/").pop() ?? "").slice(0, -5));
    const found = await Promise.all(ids.map((id) => this.get(user, id)));
    return found
      .filter((c): c is Conversation => c !== undefined)
      .map(summarise)
      .sort(newestFirst);
  }

  async get(user: string, id: string): Promise<Conversation | undefined> {
    assertConversationId(id);
    const key = this.key(user, id);
    // A read that does not parse is read again (READ_RETRIES times, READ_RETRY_MS apart) before it
    // counts as corrupt: S3 replaces an object atomically, but S3-compatible servers (s3rver in the
    // tests) may serve one mid-rewrite — empty or cut — while an abandoned attempt of a retried PUT
    // is still writing it.
    let parsed = await this.readOnce(key);
    for (let attempt = 0; attempt < READ_RETRIES && parsed !== "missing" && !parsed.success; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, READ_RETRY_MS * (attempt + 1)));
      parsed = await this.readOnce(key);
    }
    if (parsed === "missing") return undefined;
    if (!parsed.success || parsed.data.user !== user || parsed.data.id !== id) {
      throw new CatdataError("INTEGRITY", `s3://${this.bucket}/${key} is not a valid conversation`, {
        hint: "delete that object (its history is then lost) and ask again",
      });
    }
    return parsed.data;
  }

  async append(user: string, id: string, turn: ConversationTurn): Promise<Conversation> {
    assertConversationId(id);
    const key = this.key(user, id);
    return this.queue.run(key, async () => {
      const conversation = appendTurn(await this.get(user, id), user, id, turn);
      await this.objects.put(key, JSON.stringify(conversation));
      return conversation;
    });
  }

  async delete(user: string, id: string): Promise<void> {
    assertConversationId(id);
    const key = this.key(user, id);
    await this.queue.run(key, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })));
  }

  private async readOnce(key: string) {
    const text = await this.objects.read(key);
    if (text === undefined) return "missing" as const;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return conversationSchema.safeParse(json);
  }

  private key(user: string, id: string): string {
    return `${this.prefix}${userSegment(user)}/${id}.json`;
  }
}
