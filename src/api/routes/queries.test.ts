/**
 * Pins `/queries`, in process:
 * - an analyst's SELECT returns rows and the key of its CSV result, which is in the store
 * - anything but one read-only SELECT is refused with 400 and the error shape (DDL, DML, two
 *   statements, file reads); nothing is changed
 * - staff and viewers are refused (403); without a token, 401
 * - saved queries: save (201), list, run by name; a duplicate name is 409; an unknown one 404
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
  await auth.users.create({ username: "ana", password: PASSWORD, groups: ["analyst"] });
  await auth.users.create({ username: "staff", password: PASSWORD, groups: ["staff"], municipality: "131041" });
  await auth.users.create({ username: "viewer", password: PASSWORD, groups: ["viewer"] });
  for (const username of ["ana", "staff", "viewer"]) {
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
});
