/**
 * Pins `/queries`, in process:
 * - an analyst's SELECT returns rows and the key of its CSV result, which is in the store
 * - anything but one read-only SELECT is refused with 400 and the error shape (DDL, DML, two
 *   statements, file reads); nothing is changed
 * - staff and viewers are refused (403); without a token, 401
 * - saved queries: save (201), list, run by name; a duplicate name is 409; an unknown one 404
 * - a saved query has an owner: an analyst cannot replace an admin's (or another analyst's) query
 *   (403, unchanged); the owner and admins can, and every replaced version stays readable through
 *   GET /queries/saved/:name/versions[/:version]
 * - the byte cap on results (CATDATA_MAX_RESULT_BYTES; 2 KiB here): a result over it, as CSV or only
 *   as JSON, is 400 BAD_INPUT with a message that says how to narrow the query — not 200, not 500
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataDir } from "../../local/data-dir.js";
import { silentLogger } from "../../log/logger.js";
import { openRuntime, type Runtime } from "../../runtime.js";
import { createTestAuth } from "../../testing/auth.js";
import { tempConfig } from "../../testing/fixtures.js";
import { createApiApp } from "../app.js";

const PASSWORD = "Correct-Horse-9";
let runtime: Runtime;
let app: ReturnType<typeof createApiApp>;
let capped: ReturnType<typeof createApiApp>;
const tokens: Record<string, string> = {};

const post = (path: string, user: string | undefined, body: unknown) =>
  app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...(user ? { authorization: `Bearer ${tokens[user]}` } : {}) },
    body: JSON.stringify(body),
  });
const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

beforeAll(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
  const auth = await createTestAuth(new DataDir(runtime.config.dataDirectory));
  app = createApiApp({ runtime, ...auth });
  capped = createApiApp({
    runtime: { ...runtime, config: { ...runtime.config, results: { maxBytes: 2048 } } },
    ...auth,
  });
  await auth.users.create({ username: "ana", password: PASSWORD, groups: ["analyst"] });
  await auth.users.create({ username: "bob", password: PASSWORD, groups: ["analyst"] });
  await auth.users.create({ username: "root", password: PASSWORD, groups: ["admin"] });
  await auth.users.create({ username: "staff", password: PASSWORD, groups: ["staff"], municipality: "131041" });
  await auth.users.create({ username: "viewer", password: PASSWORD, groups: ["viewer"] });
  for (const username of ["ana", "bob", "root", "staff", "viewer"]) {
    const res = await post("/auth/login", undefined, { username, password: PASSWORD });
    tokens[username] = ((await res.json()) as { accessToken: string }).accessToken;
  }
});
afterAll(async () => runtime.close());

describe("POST /queries", () => {
  it("runs an analyst's SELECT and stores the CSV result", async () => {
    const res = await post("/queries", "ana", { sql: "SELECT 41 + 1 AS answer, 'a,b' AS text", maxRows: 5 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rows: unknown[]; columns: string[]; resultKey: string; truncated: boolean };
    expect(body).toMatchObject({ columns: ["answer", "text"], rows: [{ answer: 42, text: "a,b" }], truncated: false });
    expect(body.resultKey).toMatch(/^athena-query-results\/\d{4}\/\d\d\/\d\d\/[0-9a-f-]+\.csv$/);
    expect((await runtime.store.get(body.resultKey)).toString()).toContain('"a,b"');
  });

  it("refuses everything but one read-only SELECT", async () => {
    for (const sql of [
      "CREATE TABLE x AS SELECT 1",
      "DROP TABLE intakes",
      "SELECT 1; DELETE FROM intakes",
      "INSERT INTO intakes VALUES (1)",
      "SELECT * FROM read_csv('/etc/passwd')",
      "SELECT * FROM '/etc/passwd'",
      "COPY (SELECT 1) TO '/tmp/x.csv'",
    ]) {
      const res = await post("/queries", "ana", { sql });
      expect(res.status, sql).toBe(400);
      expect(await errorCode(res), sql).toBe("BAD_INPUT");
    }
  });

  it("is for analysts and admins only", async () => {
    expect((await post("/queries", "staff", { sql: "SELECT 1" })).status).toBe(403);
    expect((await post("/queries", "viewer", { sql: "SELECT 1" })).status).toBe(403);
    const anonymous = await post("/queries", undefined, { sql: "SELECT 1" });
    expect(anonymous.status).toBe(401);
    expect(await errorCode(anonymous)).toBe("UNAUTHENTICATED");
  });
});

describe("saved queries", () => {
  it("saves, lists and runs a named query", async () => {
    const saved = await post("/queries/saved", "ana", {
      name: "answer",
      sql: "SELECT 42 AS n",
      description: "the answer",
    });
    expect(saved.status).toBe(201);
    expect(await saved.json()).toMatchObject({ name: "answer", createdBy: "ana", description: "the answer" });
    expect((await post("/queries/saved", "ana", { name: "answer", sql: "SELECT 1" })).status).toBe(409);
    expect((await post("/queries/saved", "ana", { name: "bad", sql: "DROP TABLE intakes" })).status).toBe(400);
    const list = await app.request("/queries/saved", { headers: { authorization: `Bearer ${tokens.ana}` } });
    expect(((await list.json()) as { items: { name: string }[] }).items.map((q) => q.name)).toEqual(["answer"]);
    const run = await app.request("/queries/saved/answer/run", {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.ana}` },
    });
    expect(((await run.json()) as { rows: unknown[] }).rows).toEqual([{ n: 42 }]);
    const withOptions = await post("/queries/saved/answer/run", "ana", { maxRows: 1 });
    expect(withOptions.status).toBe(200);
    expect((await post("/queries/saved/nope/run", "ana", {})).status).toBe(404);
    expect((await post("/queries/saved/answer/run", "viewer", {})).status).toBe(403);
  });

  it("lets only the owner or an admin replace a saved query, and keeps every version", async () => {
    const get = (path: string, user: string) =>
      app.request(path, { headers: { authorization: `Bearer ${tokens[user]}` } });
    const first = await post("/queries/saved", "root", { name: "official", sql: "SELECT 1 AS n", description: "v1" });
    expect(await first.json()).toMatchObject({ owner: "root", createdBy: "root", version: 1 });
    const hijack = await post("/queries/saved", "ana", { name: "official", sql: "SELECT 666 AS n", replace: true });
    expect(hijack.status).toBe(403);
    expect(await hijack.json()).toMatchObject({ error: { code: "FORBIDDEN", message: /belongs to root/ } });
    expect(await (await get("/queries/saved/official/versions", "ana")).json()).toMatchObject({
      items: [{ sql: "SELECT 1 AS n", version: 1 }],
    });
    const run = await post("/queries/saved/official/run", "ana", {});
    expect(((await run.json()) as { rows: unknown[] }).rows).toEqual([{ n: 1 }]);

    expect((await post("/queries/saved", "ana", { name: "anas", sql: "SELECT 2 AS n" })).status).toBe(201);
    expect((await post("/queries/saved", "bob", { name: "anas", sql: "SELECT 3 AS n", replace: true })).status).toBe(
      403,
    );
    const own = await post("/queries/saved", "ana", { name: "anas", sql: "SELECT 4 AS n", replace: true });
    expect(await own.json()).toMatchObject({ owner: "ana", version: 2 });
    const byAdmin = await post("/queries/saved", "root", { name: "anas", sql: "SELECT 5 AS n", replace: true });
    expect(await byAdmin.json()).toMatchObject({ owner: "ana", createdBy: "root", version: 3 });

    const versions = (await (await get("/queries/saved/anas/versions", "bob")).json()) as {
      items: { sql: string; version: number; createdBy: string }[];
    };
    expect(versions.items.map((v) => [v.version, v.sql, v.createdBy])).toEqual([
      [1, "SELECT 2 AS n", "ana"],
      [2, "SELECT 4 AS n", "ana"],
      [3, "SELECT 5 AS n", "root"],
    ]);
    expect(await (await get("/queries/saved/anas/versions/1", "bob")).json()).toMatchObject({ sql: "SELECT 2 AS n" });
    expect((await get("/queries/saved/anas/versions/9", "ana")).status).toBe(404);
    expect((await get("/queries/saved/nope/versions", "ana")).status).toBe(404);
    expect((await get("/queries/saved/anas/versions", "staff")).status).toBe(403);
  });
});

describe("the result byte cap", () => {
  const ask = (sql: string) =>
    capped.request("/queries", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${tokens.ana}` },
      body: JSON.stringify({ sql }),
    });

  it("answers a result over the cap with 400 and how to narrow the query", async () => {
    expect((await ask("SELECT repeat('x', 1000) AS t")).status).toBe(200);
    for (const sql of [
      "SELECT repeat('x', 3000) AS t", // over the cap as CSV and as JSON
      "SELECT repeat(chr(10), 1500) AS t", // its CSV fits (1.5 KB), its JSON (\\n per line feed) does not
      "SELECT i, repeat('y', 40) AS pad FROM range(100) t(i)",
    ]) {
      const res = await ask(sql);
      expect(res.status, sql).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code, sql).toBe("BAD_INPUT");
      expect(error.message, sql).toMatch(/larger than 2,048 bytes.*LIMIT.*WHERE filter.*fewer columns/);
    }
  });
});
