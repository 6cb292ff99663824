/**
 * Pins the corrections of the API, in process, through the real runtime (upload → ETL → lake → query):
 * - an upload naming the job it `replaces` takes that load's records out in its commit: the figures
 *   become the re-export's (an independent count of its rows)
 * - GET /loads/history lists the loads and the replace; staff see their own municipality's only
 * - POST /loads/:id/retract takes a load out (one commit), the history shows it; a second retract is
 *   400 saying why; staff of another municipality get the 404 of an unknown load and retract nothing
 * - an upload replacing a load the caller may not see is 404 and stores nothing
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadHistory } from "../../etl/loads.js";
import { DataDir } from "../../local/data-dir.js";
import { silentLogger } from "../../log/logger.js";
import { openRuntime, type Runtime } from "../../runtime.js";
import { AUSTIN_HEADER } from "../../testing/austin-rows.js";
import { createTestAuth, signIn } from "../../testing/auth.js";
import { tempConfig } from "../../testing/fixtures.js";
import { createApiApp } from "../app.js";

const PASSWORD = "Correct-Horse-9";
let runtime: Runtime;
let app: ReturnType<typeof createApiApp>;
const tokens: Record<string, string> = {};
const cats = (tag: string, n: number) =>
  Array.from(
    { length: n },
    (_, i) => `${tag}${i},N,02/0${1 + (i % 9)}/2020 10:00:00 AM,x,Loc,Stray,Normal,Cat,Intact Female,1 year,DSH,Black`,
  );
const csv = (rows: string[]) => `${AUSTIN_HEADER}\n${rows.join("\n")}\n`;

const call = (user: string, path: string, init: RequestInit = {}) =>
  app.request(path, { ...init, headers: { authorization: `Bearer ${tokens[user]}`, ...(init.headers ?? {}) } });

async function uploadAndWait(query: string, body: string) {
  const res = await call("admin", `/uploads?filename=export.csv&municipality=us-tx-austin${query}`, {
    method: "POST",
    headers: { "content-type": "text/csv" },
    body,
  });
  expect(res.status).toBe(202);
  const { jobId } = (await res.json()) as { jobId: string };
  return runtime.jobs.waitFor(jobId);
}
const count = async () => (await runtime.query.query("SELECT count(*)::INT AS n FROM intakes")).rows[0]?.n;

beforeAll(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
  const auth = await createTestAuth(new DataDir(runtime.config.dataDirectory));
  app = createApiApp({ runtime, ...auth });
  await auth.users.create({ username: "admin", password: PASSWORD, groups: ["admin"] });
  await auth.users.create({ username: "own", password: PASSWORD, groups: ["staff"], municipality: "us-tx-austin" });
  await auth.users.create({ username: "other", password: PASSWORD, groups: ["staff"], municipality: "131041" });
  for (const username of ["admin", "own", "other"]) tokens[username] = await signIn(app, username, PASSWORD);
});
afterAll(async () => runtime.close());

describe("loads", () => {
  it("replaces with an upload, lists the history, and retracts", async () => {
    const first = await uploadAndWait("", csv(cats("A", 8)));
    expect(first.status, first.error ?? "").toBe("succeeded");
    const reexport = cats("B", 5);
    const second = await uploadAndWait(`&replaces=${first.jobId}`, csv(reexport));
    expect(second.status, second.error ?? "").toBe("succeeded");
    expect(await count()).toBe(reexport.length);

    const hidden = await call("other", "/loads/history");
    expect(((await hidden.json()) as LoadHistory).loads).toEqual([]);
    const res = await call("own", "/loads/history");
    expect(res.status).toBe(200);
    const history = (await res.json()) as LoadHistory;
    expect(history.history.map((h) => [h.action, h.jobId, h.by])).toEqual([["replace", first.jobId, second.jobId]]);

    const refused = await call("other", `/loads/${second.jobId}/retract`, { method: "POST" });
    expect(refused.status).toBe(404);
    expect(await count()).toBe(reexport.length);
    const notYours = await call("other", `/uploads?filename=x.csv&replaces=${second.jobId}`, {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: csv(cats("C", 2)),
    });
    expect(notYours.status).toBe(404);

    const retracted = await call("own", `/loads/${second.jobId}/retract`, { method: "POST" });
    expect(retracted.status).toBe(200);
    expect(await retracted.json()).toMatchObject({ action: "retract", jobId: second.jobId, by: null });
    const after = (await (await call("admin", "/loads/history")).json()) as LoadHistory;
    expect(after.history.at(-1)).toMatchObject({ action: "retract", jobId: second.jobId });
    const again = await call("admin", `/loads/${second.jobId}/retract`, { method: "POST" });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/already retracted/);
  });
});
