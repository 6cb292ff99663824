/**
 * Pins `npm start` end to end, as a user meets it: the real server process on a fresh data directory
 * - prints the web URL and a one-time admin password (not a fixed default; differs per data directory)
 * - seeds the demo data through the upload pipeline; /healthcheck is 200 with version and components
 * - listens on 127.0.0.1 only
 * - the dashboard in headless Chromium signs in and shows the chart and the latest records
 * - Ctrl-C (SIGINT) stops it cleanly with exit code 0
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium } from "../testing/chromium.js";
import { tempDir } from "../testing/fixtures.js";
import { freePort } from "../testing/free-port.js";

let child: ChildProcess;
let output = "";
let port = 0;
let healthPort = 0;

function waitFor(pattern: RegExp, ms = 60_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output:\n${output}`)), ms);
    const check = () => {
      const m = output.match(pattern);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout?.on("data", check);
    child.stderr?.on("data", check);
    check();
  });
}

beforeAll(async () => {
  const dir = tempDir("catdata-e2e-");
  [port, healthPort] = [await freePort(), await freePort()];
  child = spawn(process.execPath, ["--import", "tsx", path.resolve("src/server.ts")], {
    env: {
      ...process.env,
      CATDATA_HOME: path.join(dir, "home"),
      CATDATA_KEY_FILE: path.join(dir, "key"),
      CATDATA_PORT: String(port),
      CATDATA_HEALTH_PORT: String(healthPort),
      CATDATA_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  await waitFor(/Press Ctrl-C to stop/);
});
afterAll(() => {
  if (child.exitCode === null) child.kill("SIGKILL");
});

describe("npm start", () => {
  it("prints the URL and a generated admin password, and loads the demo", () => {
    expect(output).toContain(`http://127.0.0.1:${port}/`);
    const password = output.match(/password:\s*\n\s*(\S+)/)?.[1] ?? "";
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(output).toMatch(/Demo data loaded: 28 files, [\d,]+ records/);
  });

  it("serves /healthcheck with version and component status", async () => {
    const res = await fetch(`http://127.0.0.1:${healthPort}/healthcheck`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: "ok", version: expect.any(String) });
    expect(body.components.queryEngine.detail).toMatch(/intakes/);
  });

  it.skipIf(!hasChromium)("shows the dashboard after signing in (headless Chromium)", async () => {
    const password = output.match(/password:\s*\n\s*(\S+)/)?.[1] ?? "";
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/?lang=en`);
      await page.fill("input[name=username]", "admin");
      await page.fill("input[name=password]", "wrong-Password-1");
      await page.click("form#login button");
      await page.waitForFunction(() => document.querySelector("#login-error")?.textContent?.includes("incorrect"));
      await page.fill("input[name=password]", password);
      await page.click("form#login button");
      await page.waitForSelector("#records tbody tr");
      expect(await page.locator("#records tbody tr").count()).toBe(20);
      expect(await page.isVisible("#login")).toBe(false);
      const canvas = page.locator("#chart canvas");
      expect((await canvas.boundingBox())?.width).toBeGreaterThan(500);
      await page.selectOption("#municipality", "231002");
      await page.waitForFunction(() => document.querySelector("#records tbody td")?.textContent === "231002");
    } finally {
      await browser.close();
    }
  });

  it("stops cleanly on Ctrl-C", async () => {
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  });
});
