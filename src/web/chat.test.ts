/**
 * Pins the chat page in headless Chromium against the real platform server (startPlatform on
 * 127.0.0.1, the invictus CloudTrail sample loaded, the default offline model driving the real
 * Strands agent loop through catdata's MCP tools):
 * - an analyst asks what a principal did: the answer streams in (several text events before `done`),
 *   names the principal and cites event IDs that exist in the trail lake; the tool panel lists each
 *   tool call with its input and result
 * - asked what it will do next, the answer gives the behaviour engine's own predictions
 * - in Japanese, the page and both answers (what it did, what it will do next) are Japanese
 * - the conversation is listed and reopens with its tool calls; another user does not see it (404)
 * - staff may not use the chat: the page says so
 */
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePassword } from "../auth/password.js";
import { silentLogger } from "../log/logger.js";
import type { Runtime } from "../runtime.js";
import { type RunningPlatform, startPlatform } from "../server/start-platform.js";
import { hasChromium, launchChromium } from "../testing/chromium.js";
import { hasSamples, sample, tempConfig } from "../testing/fixtures.js";
import { freePort } from "../testing/free-port.js";
import { queryTrailLake } from "../testing/trail.js";
import { loadTrailFolder } from "../trail/lake/load-trail.js";
import { STRINGS } from "./i18n.js";

const PRINCIPAL = "iam-user:123837392027/bert-jan";
const password = generatePassword();
let platform: RunningPlatform;
let browser: Browser;
let runtime: Runtime;
let lakeIds: Set<string>;
const run = hasChromium && hasSamples;

beforeAll(async () => {
  if (!run) return;
  const config = tempConfig({ CATDATA_PORT: String(await freePort()), CATDATA_HEALTH_PORT: String(await freePort()) });
  platform = await startPlatform(config, silentLogger);
  runtime = platform.deps.runtime as Runtime;
  await loadTrailFolder(runtime.trail, path.join(sample("cloudtrail"), "invictus-aws-dataset"));
  const rows = await queryTrailLake<{ id: string }>(runtime.trail, "SELECT event_id AS id FROM events");
  lakeIds = new Set(rows.map((r) => r.id));
  await platform.deps.users.create({ username: "ana", password, groups: ["analyst"] });
  await platform.deps.users.create({ username: "ben", password, groups: ["analyst"] });
  await platform.deps.users.create({ username: "sato", password, groups: ["staff"], municipality: "131041" });
  browser = await launchChromium();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

async function signIn(username: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${platform.url}?lang=en`);
  await page.fill("input[name=username]", username);
  await page.fill("input[name=password]", password);
  await page.click("form#login button");
  await page.waitForSelector("#dashboard:not([hidden])");
  return page;
}

/** Asks on the chat page; resolves with the answer text, the text events seen before it, and the tool panel. */
async function ask(page: Page, question: string) {
  const before = await page.locator("article.turn").count();
  // Count the streamed pieces the page received: the answer element changes once per text event.
  await page.evaluate(() => {
    const g = globalThis as unknown as { __pieces: number };
    g.__pieces = 0;
    new MutationObserver(() => {
      g.__pieces += 1;
    }).observe(document.getElementById("messages") as Element, {
      subtree: true,
      characterData: true,
      childList: true,
    });
  });
  await page.fill("#question", question);
  await page.click("#send");
  const turn = page.locator("article.turn").nth(before);
  await turn.locator("xpath=self::*[@data-done='true']").waitFor({ timeout: 60_000 });
  const answer = (await turn.locator(".answer").textContent()) ?? "";
  const pieces = await page.evaluate(() => (globalThis as unknown as { __pieces: number }).__pieces);
  const tools = await turn.locator("details.tool-call").evaluateAll((els) =>
    els.map((el) => ({
      name: (el as HTMLElement).dataset.tool ?? "",
      input: el.querySelector(".tool-input")?.textContent ?? "",
      result: el.querySelector(".tool-result")?.textContent ?? "",
      error: el.classList.contains("tool-error"),
    })),
  );
  return { answer, pieces, tools };
}

const cited = (text: string) => [
  ...new Set([...text.matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g)].map((m) => m[0])),
];
const pct = (p: number) => `${(p * 100).toFixed(1)}%`;

describe.skipIf(!run)("the chat page in Chromium", () => {
  it("streams what a principal did, citing real events, with the tool trace; then its predicted next calls", async () => {
    const page = await signIn("ana");
    await page.click("#chat-link");
    await page.waitForSelector("#example-buttons button");
    const did = await ask(page, "What did bert-jan do?");
    expect(did.pieces, "the answer arrived in pieces").toBeGreaterThan(3);
    expect(did.answer).toContain(PRINCIPAL);
    const ids = cited(did.answer);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    for (const id of ids) expect(lakeIds.has(id), id).toBe(true);
    expect(did.tools.map((t) => t.name)).toEqual(expect.arrayContaining(["get_principal_profile", "lookup_events"]));
    for (const tool of did.tools) {
      expect(tool.error, tool.name).toBe(false);
      expect(tool.input.length, tool.name).toBeGreaterThan(1);
      expect(tool.result, tool.name).not.toBe("…");
    }
    // The events the answer cites are in the results the panel shows.
    const shown = did.tools.map((t) => t.result).join("\n");
    expect(ids.some((id) => shown.includes(id))).toBe(true);
    expect(await page.getAttribute("#model", "data-offline")).toBe("true");
    expect(await page.textContent("#model")).toBe(STRINGS.en.chatOffline);

    const expected = await runtime.behaviour.predict("bert-jan", { top: 5 });
    expect(expected.predictions.length).toBeGreaterThan(0);
    const next = await ask(page, "What will bert-jan do next?");
    expect(next.tools.map((t) => t.name)).toContain("predict_next_actions");
    for (const p of expected.predictions) expect(next.answer).toContain(`${p.eventKey} (${pct(p.probability)})`);

    // The conversation is listed; reopened, it shows both turns and their tool calls.
    await page.reload();
    await page.waitForSelector("#conversations button");
    const id = await page.getAttribute("#conversations button", "data-conversation");
    await page.click("#conversations button");
    await expect.poll(() => page.locator("article.turn[data-done='true']").count()).toBe(2);
    expect(await page.locator("article.turn details.tool-call").count()).toBe(did.tools.length + next.tools.length);
    // Another analyst does not see it.
    const other = await signIn("ben");
    const status = await other.evaluate(async (cid) => (await fetch(`/api/chat/conversations/${cid}`)).status, id);
    expect(status).toBe(404);
    await other.context().close();
    await page.context().close();
  }, 240_000);

  it("answers in Japanese on the Japanese page: what a principal did and what it will do next", async () => {
    const page = await signIn("ana");
    await page.goto(new URL("/chat?lang=ja", platform.url).href);
    await page.waitForSelector("#example-buttons button");
    expect(await page.textContent("h1")).toBe(STRINGS.ja.chat);
    const did = await ask(page, "bert-jan は何をしましたか?");
    expect(did.answer).toContain(PRINCIPAL);
    expect(did.answer).toMatch(/[ぁ-んァ-ン一-龥]/);
    expect(did.answer).toContain("+09:00");
    for (const id of cited(did.answer)) expect(lakeIds.has(id), id).toBe(true);
    expect(did.tools.length).toBeGreaterThan(0);
    const expected = await runtime.behaviour.predict("bert-jan", { top: 5 });
    const next = await ask(page, "bert-jan は次に何をしますか?");
    expect(next.pieces, "the answer arrived in pieces").toBeGreaterThan(3);
    expect(next.tools.map((t) => t.name)).toContain("predict_next_actions");
    expect(next.answer).toContain("次に呼びそうな API");
    for (const p of expected.predictions) expect(next.answer).toContain(`${p.eventKey} (${pct(p.probability)})`);
    expect(await page.textContent("#model")).toBe(STRINGS.ja.chatOffline);
    await page.context().close();
  }, 120_000);

  it("tells staff they may not use the chat", async () => {
    const page = await signIn("sato");
    await page.goto(new URL("/chat?lang=en", platform.url).href);
    await page.waitForSelector("#chat-error:not([hidden])");
    expect(await page.textContent("#chat-error")).toContain(STRINGS.en.forbidden);
    await page.context().close();
  });
});
