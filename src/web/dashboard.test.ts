/**
 * Pins the dashboard in headless Chromium against the real platform server (startPlatform on
 * 127.0.0.1, demo data of Shinjuku and Naha loaded through the upload pipeline):
 * - Shinjuku staff who picks Naha sees the records request's 403 as an error in place of the table
 *   (English and Japanese), and no Shinjuku row is left in it
 * - cells the API suppresses (n: null) are not 0 in the chart's data: each is a gap marked
 *   suppressed, the chart has a "suppressed (< N)" legend entry, and the tooltip says so
 * - a viewer (no record access at all) gets the error instead of an empty table
 * - the municipality select lists only the municipalities with data (not the ~2,000 of the directory),
 *   in the page's language
 */
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePassword } from "../auth/password.js";
import { writeDemoFiles } from "../demo/write-demo-files.js";
import { ingestFile } from "../etl/ingest.js";
import { silentLogger } from "../log/logger.js";
import type { Runtime } from "../runtime.js";
import { type RunningPlatform, startPlatform } from "../server/start-platform.js";
import { hasChromium, launchChromium } from "../testing/chromium.js";
import { demoData } from "../testing/demo-lake.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import { freePort } from "../testing/free-port.js";
import { STRINGS } from "./i18n.js";

const SHINJUKU = "131041";
const NAHA = "472018";
const password = generatePassword();
let platform: RunningPlatform;
let browser: Browser;

interface Cell {
  month: string;
  type: string | null;
  n: number | null;
  suppressed: boolean;
}
interface ChartItem {
  value: number | string;
  suppressed?: boolean | string;
}

beforeAll(async () => {
  if (!hasChromium) return;
  const config = tempConfig({ CATDATA_PORT: String(await freePort()), CATDATA_HEALTH_PORT: String(await freePort()) });
  platform = await startPlatform(config, silentLogger);
  const { users } = platform.deps;
  // startPlatform's API services are the whole runtime (the composition root's).
  const runtime = platform.deps.runtime as Runtime;
  for (const file of await writeDemoFiles(tempDir(), demoData([SHINJUKU, NAHA]))) {
    const municipality = /^demo-(\d+)-/.exec(path.basename(file))?.[1] ?? "";
    const job = await ingestFile(runtime, file, { municipality });
    expect(job.status).toBe("succeeded");
  }
  await users.create({ username: "sato", password, groups: ["staff"], municipality: SHINJUKU });
  await users.create({ username: "yamada", password, groups: ["viewer"] });
  browser = await launchChromium();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

async function signIn(username: string, lang: "en" | "ja"): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${platform.url}?lang=${lang}`);
  await page.fill("input[name=username]", username);
  await page.fill("input[name=password]", password);
  await page.click("form#login button");
  await page.waitForSelector("#dashboard:not([hidden])");
  return page;
}

const recordCells = (page: Page) => page.locator("#records tbody td").allTextContents();
const chartSeries = (page: Page) =>
  page.evaluate(() => {
    const g = globalThis as unknown as {
      echarts: { getInstanceByDom(el: Element): { getOption(): { series: { name: string; data: unknown[] }[] } } };
    };
    const chart = g.echarts.getInstanceByDom(document.getElementById("chart") as Element);
    return chart.getOption().series.map((s) => ({ name: s.name, data: s.data }));
  });

describe.skipIf(!hasChromium)("dashboard in Chromium", () => {
  it("lists in the municipality select only the municipalities with data, named in the page language", async () => {
    const directory = platform.deps.runtime.config.municipalities;
    for (const lang of ["en", "ja"] as const) {
      const page = await signIn("sato", lang);
      await page.waitForSelector(`#municipality option[value="${NAHA}"]`, { state: "attached" });
      const options = await page.$$eval("#municipality option", (os) =>
        os.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent ?? "" })),
      );
      // Independent: "All" plus the two municipalities whose demo files were loaded above.
      expect(options.map((o) => o.value)).toEqual(["", ...[SHINJUKU, NAHA].sort()]);
      for (const code of [SHINJUKU, NAHA]) {
        const m = directory.get(code);
        const name = lang === "ja" ? m?.nameJa : m?.nameEn;
        expect(options.find((o) => o.value === code)?.text.startsWith(`${name} (`), `${lang} ${code}`).toBe(true);
      }
      expect(directory.list().length).toBeGreaterThan(1_900);
      await page.context().close();
    }
  });

  it("shows the 403 in place of the table when Shinjuku staff picks Naha, and no Shinjuku row stays", async () => {
    for (const lang of ["en", "ja"] as const) {
      const page = await signIn("sato", lang);
      await page.waitForSelector("#records tbody tr");
      expect(await recordCells(page)).toContain(SHINJUKU);
      await page.selectOption("#municipality", NAHA);
      await page.waitForSelector("#records-error:not([hidden])");
      const message = (await page.textContent("#records-error")) ?? "";
      expect(message, lang).toContain(STRINGS[lang].recordsFailed);
      expect(message, lang).toContain(STRINGS[lang].forbidden);
      expect(await page.locator("#records tbody tr").count()).toBe(0);
      expect(await recordCells(page)).not.toContain(SHINJUKU);
      // The chart (aggregates are for everyone) is Naha's, with no error of its own.
      expect(await page.isVisible("#chart-error")).toBe(false);
      await page.context().close();
    }
  });

  it("draws suppressed cells as suppressed, never 0, with the legend and tooltip saying so", async () => {
    const page = await signIn("sato", "en");
    await page.selectOption("#municipality", NAHA);
    await page.waitForSelector("#suppressed-note:not([hidden])");
    const stats = (await page.evaluate(async (code) => {
      const res = await fetch(`/api/cats/stats?dataset=intakes&municipality=${code}`);
      return res.json();
    }, NAHA)) as { minCell: number; monthly: Cell[] };
    const hidden = stats.monthly.filter((c) => c.suppressed);
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.every((c) => c.n === null)).toBe(true);
    const series = await chartSeries(page);
    const label = `suppressed (< ${stats.minCell})`;
    expect(series.map((s) => s.name)).toContain(label);
    const months = [...new Set(stats.monthly.map((c) => c.month))].sort();
    for (const cell of hidden) {
      const item = series.find((s) => s.name === (cell.type ?? "all"))?.data[months.indexOf(cell.month)] as ChartItem;
      expect(item, `${cell.month} ${cell.type}`).toMatchObject({ suppressed: true });
      expect(item.value).not.toBe(0);
      expect(Number.isFinite(Number(item.value))).toBe(false);
    }
    for (const cell of stats.monthly.filter((c) => !c.suppressed)) {
      const item = series.find((s) => s.name === (cell.type ?? "all"))?.data[months.indexOf(cell.month)] as ChartItem;
      expect(item.value).toBe(cell.n);
    }
    // Hovering a month with a suppressed cell: the tooltip names the cell suppressed, not 0.
    const first = hidden[0] as Cell;
    const point = await page.evaluate((dataIndex) => {
      const g = globalThis as unknown as {
        echarts: { getInstanceByDom(el: Element): { convertToPixel(f: object, v: number[]): number[] } };
      };
      const el = document.getElementById("chart") as Element;
      const [x = 0, y = 0] = g.echarts
        .getInstanceByDom(el)
        .convertToPixel({ xAxisIndex: 0, yAxisIndex: 0 }, [dataIndex, 0]);
      const box = el.getBoundingClientRect();
      return { x: box.left + x, y: box.top + y - 20 };
    }, months.indexOf(first.month));
    await page.mouse.move(point.x, point.y);
    const tipText = () =>
      page.evaluate(() => [...document.querySelectorAll("#chart > div")].map((d) => d.textContent).join("\n"));
    const name = first.type ?? "all";
    await expect.poll(tipText, { timeout: 10_000 }).toContain(`${name}: ${label}`);
    expect(await tipText()).toContain(first.month);
    expect(await tipText()).not.toMatch(new RegExp(`${name}:?\\s*0(?!\\d)`));
    await page.context().close();
  });

  it("shows the key figures per fiscal year with their source, withheld figures as '< N', never 0", async () => {
    for (const lang of ["en", "ja"] as const) {
      const page = await signIn("sato", lang);
      await page.selectOption("#municipality", NAHA);
      await page.waitForSelector(`#kpis tbody tr[data-municipality="${NAHA}"]`);
      const api = (await page.evaluate(async (code) => {
        const res = await fetch(`/api/kpis?municipality=${code}`);
        return res.json();
      }, NAHA)) as {
        minCell: number;
        items: (Record<string, unknown> & { fiscalYear: number; suppressed: string[] })[];
      };
      expect(api.items.length).toBeGreaterThan(0);
      const table = await page.$$eval("#kpis tbody tr", (trs) =>
        trs.map((tr) => ({
          fiscalYear: Number((tr as HTMLElement).dataset.fiscalYear),
          cells: Object.fromEntries(
            [...tr.querySelectorAll("td[data-field]")].map((td) => [
              (td as HTMLElement).dataset.field,
              { text: td.textContent ?? "", suppressed: td.classList.contains("suppressed") },
            ]),
          ),
        })),
      );
      expect(table.map((r) => r.fiscalYear).sort()).toEqual(api.items.map((r) => r.fiscalYear).sort());
      for (const row of api.items) {
        const shown = table.find((r) => r.fiscalYear === row.fiscalYear)?.cells ?? {};
        // The demo lake holds records only: every year's source is "records", in the page's language.
        expect(row.basis).toBe("records");
        expect(shown.basis?.text).toBe(STRINGS[lang].basisRecords);
        for (const field of ["intakes", "adoptions", "euthanasia", "complaints"]) {
          if (row.suppressed.includes(field)) {
            expect(shown[field], `${row.fiscalYear} ${field}`).toEqual({ text: `< ${api.minCell}`, suppressed: true });
          } else {
            const n = row[field] as number;
            expect(shown[field]?.text, `${row.fiscalYear} ${field}`).toBe(
              n.toLocaleString(lang === "ja" ? "ja-JP" : "en-US"),
            );
          }
        }
      }
      await page.context().close();
    }
  });

  it("tells a viewer why there are no records instead of showing an empty table", async () => {
    const page = await signIn("yamada", "ja");
    await page.waitForSelector("#records-error:not([hidden])");
    const message = (await page.textContent("#records-error")) ?? "";
    expect(message).toContain(STRINGS.ja.recordsFailed);
    expect(message).toContain(STRINGS.ja.forbidden);
    expect(await page.isVisible("#records")).toBe(false);
    await page.context().close();
  });
});
