/**
 * Pins `GET /templates/:dataset`: signed-in users download the CSV (header row, UTF-8 with BOM) and
 * the .xlsx (a workbook whose data sheet has the template's headers), each as an attachment named
 * for dataset and language, byte for byte what `catdata template` writes; an unknown dataset, a
 * language or a format outside the lists is a 400; without a token a 401.
 */
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { templateHeaders } from "../../cats/template.js";
import { renderTemplateFile } from "../../cats/template-xlsx.js";
import { openTables } from "../../etl/tables.js";
import { DataDir } from "../../local/data-dir.js";
import { silentLogger } from "../../log/logger.js";
import { openRuntime, type Runtime } from "../../runtime.js";
import { createTestAuth, signIn } from "../../testing/auth.js";
import { tempConfig } from "../../testing/fixtures.js";
import { createApiApp } from "../app.js";

const PASSWORD = "Correct-Horse-9";
let runtime: Runtime;
let app: ReturnType<typeof createApiApp>;
let token = "";
const get = (path: string, auth = true) =>
  app.request(path, { headers: auth ? { authorization: `Bearer ${token}` } : {} });

beforeAll(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
  const auth = await createTestAuth(new DataDir(runtime.config.dataDirectory));
  app = createApiApp({ runtime, ...auth });
  await auth.users.create({ username: "viewer", password: PASSWORD, groups: ["viewer"] });
  token = await signIn(app, "viewer", PASSWORD);
});
afterAll(async () => runtime.close());

describe("GET /templates/:dataset", () => {
  it("serves the CSV header row as an attachment, the same bytes as the CLI writes", async () => {
    const res = await get("/templates/complaints?lang=en&format=csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="catdata-complaints-en.csv"');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(await renderTemplateFile("complaints", "en", "csv"))).toBe(true);
    expect(body.subarray(3).toString("utf8")).toBe(`${templateHeaders("complaints", "en").join(",")}\r\n`);
  });

  it("serves the xlsx by default in Japanese, readable by the platform's reader", async () => {
    const res = await get("/templates/tnr");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="catdata-tnr-ja.xlsx"');
    const tables: { name: string; headers: string[] }[] = [];
    const data = Buffer.from(await res.arrayBuffer());
    for await (const t of openTables(Readable.from([data]), { kind: "xlsx" }, "t.xlsx")) {
      for await (const _ of t.rows);
      tables.push({ name: t.name, headers: t.headers() });
    }
    expect(tables[0]?.headers).toEqual(templateHeaders("tnr", "ja"));
    expect(tables).toHaveLength(2);
  });

  it("refuses an unknown dataset, language or format, and callers without a token", async () => {
    expect((await get("/templates/cats")).status).toBe(400);
    expect((await get("/templates/tnr?lang=fr")).status).toBe(400);
    expect((await get("/templates/tnr?format=pdf")).status).toBe(400);
    expect((await get("/templates/tnr", false)).status).toBe(401);
  });
});
