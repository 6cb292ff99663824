/**
 * Pins GET /municipalities over the full directory (~2,000 entries):
 * - without parameters: every entry of the deployment's directory (full list + its file), each with `datasets`
 * - `?withData=1`: exactly the municipalities whose rows were loaded (independently: the codes ingested here)
 * - `?q=`: code, name (ja/en) and reading search; at MAX_MUNICIPALITY_QUERY_CHARS accepted, above refused
 * - signed-in only (401 without a token); an unknown parameter or `withData=2` is a 400
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { templateHeaders } from "../../cats/template.js";
import { ingestFile } from "../../etl/ingest.js";
import { DataDir } from "../../local/data-dir.js";
import { silentLogger } from "../../log/logger.js";
import { openRuntime, type Runtime } from "../../runtime.js";
import { createTestAuth, signIn } from "../../testing/auth.js";
import { tempConfig, tempDir } from "../../testing/fixtures.js";
import { PORTLAND, writeMunicipalitiesFile } from "../../testing/municipalities-file.js";
import { createApiApp } from "../app.js";
import { MAX_MUNICIPALITY_QUERY_CHARS } from "./municipalities.js";

const PASSWORD = "Correct-Horse-9";
const dir = tempDir();
const municipalitiesFile = writeMunicipalitiesFile(dir, [PORTLAND]);
const config = tempConfig({ CATDATA_MUNICIPALITIES_FILE: municipalitiesFile });
const LOADED = ["013030", "272035", "us-or-portland"];
let runtime: Runtime;
let app: ReturnType<typeof createApiApp>;
let token = "";

interface Item {
  code: string;
  nameJa: string;
  nameEn: string;
  kind?: string;
  datasets: string[];
}
const get = async (query: string, bearer = token) =>
  app.request(`/municipalities${query}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
const items = async (query: string) => {
  const res = await get(query);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Item[] }).items;
};

beforeAll(async () => {
  runtime = await openRuntime(config, silentLogger);
  const auth = await createTestAuth(new DataDir(runtime.config.dataDirectory));
  app = createApiApp({ runtime, ...auth });
  await auth.users.create({ username: "viewer1", password: PASSWORD, groups: ["viewer"] });
  token = await signIn(app, "viewer1", PASSWORD);
  for (const code of LOADED) {
    const file = path.join(dir, `tnr-${code}.csv`);
    writeFileSync(
      file,
      [templateHeaders("tnr", "en").join(","), [code, "2024-05-01", "North", "female", "1", ""].join(",")].join("\n"),
    );
    const job = await ingestFile(runtime, file, { municipality: code });
    expect(job.status, job.error ?? "").toBe("succeeded");
  }
}, 120_000);
afterAll(async () => runtime.close());

describe("GET /municipalities", () => {
  it("lists the whole directory, the file's additions included, each with its datasets", async () => {
    const all = await items("");
    expect(all).toHaveLength(runtime.config.municipalities.list().length);
    expect(all.length).toBeGreaterThan(1_900);
    expect(all.find((m) => m.code === "013030")).toMatchObject({
      nameJa: "当別町",
      nameEn: "Tobetsu",
      datasets: ["tnr"],
    });
    expect(all.find((m) => m.code === "130001")).toMatchObject({ kind: "prefecture", datasets: [] });
  });

  it("keeps only the municipalities with data under ?withData=1", async () => {
    const withData = await items("?withData=1");
    expect(withData.map((m) => m.code).sort()).toEqual([...LOADED].sort());
    for (const m of withData) expect(m.datasets).toEqual(["tnr"]);
  });

  it("searches code, names and reading with ?q=", async () => {
    for (const q of ["とよなか", "Toyonaka", "豊中", "27203"]) {
      expect(
        (await items(`?q=${encodeURIComponent(q)}`)).map((m) => m.code),
        q,
      ).toContain("272035");
    }
    expect((await items(`?q=${encodeURIComponent("当別")}&withData=1`)).map((m) => m.code)).toEqual(["013030"]);
    expect(await items(`?q=${encodeURIComponent("豊中")}&withData=0`)).not.toHaveLength(0);
    expect(await items(`?q=${"x".repeat(MAX_MUNICIPALITY_QUERY_CHARS)}`)).toEqual([]);
    expect((await get(`?q=${"x".repeat(MAX_MUNICIPALITY_QUERY_CHARS + 1)}`)).status).toBe(400);
  });

  it("is for signed-in users only, and refuses unknown parameters", async () => {
    expect((await get("", "")).status).toBe(401);
    expect((await get("?withData=2")).status).toBe(400);
    expect((await get("?x=1")).status).toBe(400);
  });
});
