import { createServer as createHttpServer, type IncomingMessage } from "node:http";
import { createServer as createHttp2Server, type Http2ServerRequest } from "node:http2";
import type { AddressInfo } from "node:net";
import { crc32 } from "node:zlib";

/**
 * Test helpers: local fakes of the two remote model services on 127.0.0.1, recording each request
 * (path, headers, JSON body) and answering with the next scripted reply — Bedrock's ConverseStream
 * as an AWS event stream over HTTP/2 (what the Bedrock runtime client speaks), an OpenAI-compatible
 * endpoint's Chat Completions as server-sent events over HTTP/1.1.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

export interface FakeReply {
  status: number;
  contentType: string;
  body: Uint8Array | string;
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

async function record(req: IncomingMessage | Http2ServerRequest): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.from(chunk as Buffer));
  const text = Buffer.concat(chunks).toString("utf8");
  return {
    method: req.method ?? "",
    path: req.url ?? "",
    headers: { ...req.headers },
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

/** A fake Bedrock runtime endpoint (HTTP/2 cleartext): each request gets the next reply. */
export async function fakeBedrock(replies: FakeReply[]): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = createHttp2Server(async (req, res) => {
    requests.push(await record(req));
    const reply = replies.shift() ?? { status: 500, contentType: "application/json", body: "{}" };
    res.writeHead(reply.status, { "content-type": reply.contentType });
    res.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A fake OpenAI-compatible endpoint (HTTP/1.1). */
export async function fakeOpenAi(replies: FakeReply[]): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = createHttpServer(async (req, res) => {
    requests.push(await record(req));
    const reply = replies.shift() ?? { status: 500, contentType: "application/json", body: "{}" };
    res.writeHead(reply.status, { "content-type": reply.contentType });
    res.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One AWS event-stream message: prelude (lengths + CRC), string headers, JSON payload, message CRC. */
export function eventStreamMessage(eventType: string, payload: unknown): Buffer {
  const headers = Buffer.concat(
    Object.entries({ ":event-type": eventType, ":content-type": "application/json", ":message-type": "event" }).map(
      ([name, value]) => {
        const n = Buffer.from(name, "utf8");
        const v = Buffer.from(value, "utf8");
        const h = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
        h.writeUInt8(n.length, 0);
        n.copy(h, 1);
        h.writeUInt8(7, 1 + n.length); // 7: string
        h.writeUInt16BE(v.length, 2 + n.length);
        v.copy(h, 4 + n.length);
        return h;
      },
    ),
  );
  const body = Buffer.from(JSON.stringify(payload), "utf8");
  const total = 12 + headers.length + body.length + 4;
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headers.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const withoutCrc = Buffer.concat([prelude, headers, body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(withoutCrc), 0);
  return Buffer.concat([withoutCrc, crc]);
}

/** A ConverseStream reply: the events in order, as Bedrock streams them. */
export const converseStream = (events: [string, unknown][]): FakeReply => ({
  status: 200,
  contentType: "application/vnd.amazon.eventstream",
  body: Buffer.concat(events.map(([type, payload]) => eventStreamMessage(type, payload))),
});

/** A Chat Completions stream: each chunk as an SSE `data:` line, then `[DONE]`. */
export const chatStream = (chunks: unknown[]): FakeReply => ({
  status: 200,
  contentType: "text/event-stream",
  body: `${chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("")}data: [DONE]\n\n`,
});
