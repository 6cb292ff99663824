/**
 * Pins where the agent's tools come from when CATDATA_AGENT_MCP_URL is set: the SDK's MCP client
 * over Streamable HTTP to an MCP server on 127.0.0.1 (catdata's own handler behind a bearer check,
 * as /mcp is), sending the token from the configuration on every request; the offline agent answers
 * from those tools. A wrong token fails the question instead of answering without tools.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.js";
import { createMcpHttpHandler } from "../mcp/http.js";
import { emptyBehaviourLake, type TestBehaviourLake } from "../testing/behaviour.js";
import { loadTrailFolder } from "../trail/lake/load-trail.js";
import { AgentService } from "./agent-service.js";
import { LocalConversationStore } from "./local-conversation-store.js";

const flaws2 = path.join(process.env.CATDATA_SAMPLES_DIR ?? path.resolve("../shared/data"), "cloudtrail", "flaws2");
const TOKEN = "test-token-not-a-secret";

let lake: TestBehaviourLake;
let server: Server;
let url: string;
const seen: IncomingHttpHeaders[] = [];
beforeAll(async () => {
  lake = await emptyBehaviourLake();
  await loadTrailFolder(lake.trail, flaws2);
  const handler = createMcpHttpHandler({ behaviour: lake.service(), trail: lake.trail, version: "0.0.0-test" });
  server = createServer((req, res) => {
    seen.push(req.headers);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) res.writeHead(401).end();
    else void handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function service(token: string) {
  return new AgentService({
    config: loadConfig({ CATDATA_AGENT_MCP_URL: url, CATDATA_AGENT_MCP_TOKEN: token }, "/tmp").agent,
    region: "ap-northeast-1",
    store: new LocalConversationStore(path.join(lake.dataDir.root, `conversations-${token}`)),
    // Not used when the tools are remote: an empty lake proves the answer came over HTTP.
    mcp: { behaviour: lake.service(), trail: lake.trail, version: "0.0.0-test" },
  });
}

describe("tools over Streamable HTTP", () => {
  it("calls the remote MCP server with the bearer token and answers from its tools", async () => {
    const agent = service(TOKEN);
    const answer = await agent.ask("what will level1 do next", { user: "u", lang: "en" });
    expect(answer.toolCalls.map((c) => [c.name, c.status])).toEqual(
      expect.arrayContaining([
        ["get_principal_profile", "success"],
        ["predict_next_actions", "success"],
      ]),
    );
    expect(answer.text).toContain("Most likely next calls: logs.amazonaws.com:CreateLogStream");
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.every((h) => h.authorization === `Bearer ${TOKEN}`)).toBe(true);
    await agent.close();
  });

  it("fails the question when the server refuses the token", async () => {
    const agent = service("wrong-token");
    await expect(agent.ask("what did level1 do", { user: "u", lang: "en" })).rejects.toMatchObject({
      code: "UNAVAILABLE",
      message: expect.stringContaining(`cannot use the MCP server at ${url}`),
      hint: expect.stringContaining("CATDATA_AGENT_MCP_TOKEN"),
    });
    await agent.close();
  });
});
