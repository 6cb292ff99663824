import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { CatdataError } from "../errors.js";
import { writeFileAtomic } from "../local/atomic-write.js";
import { KeyedQueue } from "../local/key-queue.js";
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
 * Conversation history on local disk, under the data directory: `<root>/<user>/<id>.json` (the user
 * name base64url-encoded), each written atomically (0600) and its changes serialised per file. A
 * corrupt file is reported, never overwritten.
 */
export class LocalConversationStore implements ConversationStore {
  private readonly queue = new KeyedQueue();

  constructor(readonly root: string) {}

  async list(user: string): Promise<ConversationSummary[]> {
    let names: string[];
    try {
      names = await readdir(path.join(this.root, userSegment(user)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const ids = names.filter((n) => n.endsWith(".json")).map((n) => n.slice(0, -5));
    const found = await Promise.all(ids.map((id) => this.get(user, id)));
    return found
      .filter((c): c is Conversation => c !== undefined)
      .map(summarise)
      .sort(newestFirst);
  }

  async get(user: string, id: string): Promise<Conversation | undefined> {
    assertConversationId(id);
    const file = this.file(user, id);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    const parsed = conversationSchema.safeParse(safeJson(text));
    if (!parsed.success || parsed.data.user !== user || parsed.data.id !== id) {
      throw new CatdataError("INTEGRITY", `${file} is not a valid conversation file`, {
        hint: "move it aside (that conversation's history is then lost) and ask again",
      });
    }
    return parsed.data;
  }

  async append(user: string, id: string, turn: ConversationTurn): Promise<Conversation> {
    assertConversationId(id);
    const file = this.file(user, id);
    return this.queue.run(file, async () => {
      const conversation = appendTurn(await this.get(user, id), user, id, turn);
      await writeFileAtomic(file, `${JSON.stringify(conversation)}\n`);
      return conversation;
    });
  }

  async delete(user: string, id: string): Promise<void> {
    assertConversationId(id);
    const file = this.file(user, id);
    await this.queue.run(file, () => rm(file, { force: true }));
  }

  private file(user: string, id: string): string {
    return path.join(this.root, userSegment(user), `${id}.json`);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
