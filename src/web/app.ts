import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { chatPage } from "./chat-page.js";
import { dashboardPage } from "./dashboard-page.js";
import { pickLang } from "./i18n.js";

const require = createRequire(import.meta.url);
const asset = (file: string) => readFileSync(new URL(`./assets/${file}`, import.meta.url));

/**
 * Static assets are read once at start-up: ECharts from its package, ours from ./assets. A `Map`, not
 * an object literal: a file name such as `constructor` or `__proto__` must not find a prototype member.
 */
const ASSETS: ReadonlyMap<string, { body: Buffer; type: string }> = new Map([
  ["echarts.min.js", { body: readFileSync(require.resolve("echarts/dist/echarts.min.js")), type: "text/javascript" }],
  ["dashboard.js", { body: asset("dashboard.js"), type: "text/javascript" }],
  ["chat.js", { body: asset("chat.js"), type: "text/javascript" }],
  ["style.css", { body: asset("style.css"), type: "text/css" }],
]);

/** The web app: the dashboard and chat pages and their assets. Data comes from the API under `/api`. */
export function createWebApp() {
  const app = new Hono();
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
    }),
  );
  app.get("/", (c) => c.html(dashboardPage(pickLang(c.req.query("lang"), c.req.header("accept-language")))));
  app.get("/chat", (c) => c.html(chatPage(pickLang(c.req.query("lang"), c.req.header("accept-language")))));
  app.get("/assets/:file", (c) => {
    const found = ASSETS.get(c.req.param("file"));
    if (!found) return c.notFound();
    return c.body(new Uint8Array(found.body), 200, {
      "content-type": found.type,
      "cache-control": "public, max-age=3600",
    });
  });
  return app;
}
