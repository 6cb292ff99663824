/**
 * Pins `POST /uploads` and `GET /uploads/:id`, in process:
 * - a raw body is streamed into the store under raw/<municipality>/<date>/<name> and answered 202
 *   with the job id and Location — the job is on record (queued in the job log) at once, its ETL runs
 *   on the queue afterwards; polling the Location shows the job end with counts, tables and the
 *   quarantined row with its reason (first N, and `quarantine=all` page by page)
 * - multipart/form-data with the fields before the file works the same
 * - path traversal in the name (query or multipart) is refused and nothing is stored
 * - staff upload for their own municipality only (by default, and never for another); viewers never
 * - staff read their own municipality's jobs only: a job of another municipality, and a job without a
 *   municipality (an admin's upload that named none, quarantined raw rows included), answer exactly the
 *   404 of an unknown id, so which ids exist does not leak; admins read them all
 * - past the configured upload limit the upload is 413 and nothing is stored
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newJobRecord } from "../../etl/new-job.js";
import { DataDir } from "../../local/data-dir.js";
import { silentLogger } from "../../log/logger.js";
import { openRuntime, type Runtime } from "../../runtime.js";
import { createTestAuth, signIn } from "../../testing/auth.js";
import { tempConfig } from "../../testing/fixtures.js";
import { createApiApp } from "../app.js";

const HEADER =
  "Animal ID,Name,DateTime,MonthYear,Found Location,Intake Type,Intake Condition,Animal Type,Sex upon Intake,Age upon Intake,Breed,Color";
const row = (id: string, date: string) => `${id},N,${date},x,Loc,Stray,Normal,Cat,Intact Female,1 year,DSH,Black`;
const csv = (prefix: string, bad = 0) =>
  [
    HEADER,
    ...Array.from({ length: 6 }, (_, i) => row(`${prefix}${i}`, `02/0${i + 1}/2020 10:00:00 AM`)),
    ...Array.from({ length: bad }, (_, i) => row(`${prefix}X${i}`, "not a date")),
  ].join("\n");
const PASSWORD = "Correct-Horse-9";
let runtime: Runtime;
let app: ReturnType<typeof createApiApp>;
const tokens: Record<string, string> = {};

async function upload(user: string, query: string, body: BodyInit, type = "text/csv") {
  const headers: Record<string, string> = { authorization: `Bearer ${tokens[user]}` };
  if (!(body instanceof FormData)) headers["content-type"] = type;
  return app.request(`/uploads${query}`, { method: "POST", headers, body });
}
async function finished(location: string, user = "admin", query = "") {
  for (let i = 0; i < 100; i++) {
    const res = await app.request(`${location}${query}`, { headers: { authorization: `Bearer ${tokens[user]}` } });
    const body = (await res.json()) as Record<string, unknown> & { status: string };
    if (res.status !== 200 || (body.status !== "queued" && body.status !== "running")) return { res, body };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the job did not finish");
}
const rawKeys = async () => (await runtime.store.list("raw/")).map((v) => v.key);

beforeAll(async () => {
  runtime = await openRuntime(tempConfig({ CATDATA_UPLOAD_LIMIT_BYTES: "4096" }), silentLogger);
  const auth = await createTestAuth(new DataDir(runtime.config.dataDirectory));
  app = createApiApp({ runtime, ...auth });
  await auth.users.create({ username: "admin", password: PASSWORD, groups: ["admin"] });
  await auth.users.create({
    username: "staff-austin",
    password: PASSWORD,
    groups: ["staff"],
    municipality: "us-tx-austin",
  });
  await auth.users.create({ username: "viewer", password: PASSWORD, groups: ["viewer"] });
  for (const username of ["admin", "staff-austin", "viewer"]) tokens[username] = await signIn(app, username, PASSWORD);
});
afterAll(async () => runtime.close());

describe("uploads", () => {
  it("streams a raw body in, answers 202, and reports the job with its quarantine", async () => {
    const res = await upload("admin", "?filename=austin.csv&municipality=us-tx-austin", csv("R", 3));
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { jobId: string; key: string };
    expect(res.headers.get("location")).toBe(`/uploads/${accepted.jobId}`);
    expect(accepted.key).toMatch(/^raw\/us-tx-austin\/\d{4}-\d\d-\d\d\/austin\.csv$/);
    expect(await runtime.jobs.get(accepted.jobId)).toMatchObject({ key: accepted.key });
    const { body } = await finished(`/uploads/${accepted.jobId}`);
    expect(body).toMatchObject({
      status: "succeeded",
      profile: "austin-intakes",
      municipality: "us-tx-austin",
      counts: { read: 9, loaded: 6, quarantined: 3 },
      tables: [{ name: "austin.csv", profile: "austin-intakes", drift: null }],
      quarantine: { total: 3, nextCursor: null },
    });
    const rows = (body.quarantine as { rows: { row: number; reason: string; values: Record<string, string> }[] }).rows;
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      row: 7,
      reason: expect.stringMatching(/not a date/),
      values: { "Animal ID": "RX0" },
    });

    const pages: unknown[] = [];
    let cursor = "";
    do {
      const page = await finished(`/uploads/${accepted.jobId}`, "admin", `?quarantine=all&limit=2${cursor}`);
      const q = page.body.quarantine as { rows: unknown[]; nextCursor: string | null };
      pages.push(q.rows.length);
      cursor = q.nextCursor ? `&cursor=${q.nextCursor}` : "";
    } while (cursor);
    expect(pages).toEqual([2, 1]);
  });

  it("takes multipart/form-data with the fields first", async () => {
    const form = new FormData();
    form.set("municipality", "us-tx-austin");
    form.set("file", new Blob([csv("M")]), "multi.csv");
    const res = await upload("admin", "", form);
    expect(res.status).toBe(202);
    const { body } = await finished(res.headers.get("location") ?? "");
    expect(body).toMatchObject({
      status: "succeeded",
      counts: { loaded: 6, quarantined: 0 },
      quarantine: { rows: [] },
    });
  });

  it("refuses path traversal in the file name and stores nothing", async () => {
    const before = await rawKeys();
    for (const name of ["../../etc/passwd", "/etc/passwd", "..\\x.csv", "a\0.csv"]) {
      const res = await upload("admin", `?filename=${encodeURIComponent(name)}`, csv("T"));
      expect(res.status, name).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("BAD_INPUT");
      const form = new FormData();
      form.set("file", new Blob([csv("T")]), name);
      expect((await upload("admin", "", form)).status, `multipart ${name}`).toBe(400);
    }
    expect(await rawKeys()).toEqual(before);
  });

  it("keeps staff to their own municipality, and viewers out", async () => {
    const own = await upload("staff-austin", "?filename=own.csv", csv("S"));
    expect(own.status).toBe(202);
    expect(((await own.json()) as { key: string }).key).toMatch(/^raw\/us-tx-austin\//);
    expect((await upload("staff-austin", "?filename=x.csv&municipality=131041", csv("S2"))).status).toBe(403);
    const form = new FormData();
    form.set("municipality", "131041");
    form.set("file", new Blob([csv("S3")]), "x.csv");
    expect((await upload("staff-austin", "", form)).status).toBe(403);
    expect((await upload("viewer", "?filename=x.csv", csv("V"))).status).toBe(403);
    const adminJob = (await (await upload("admin", "?filename=other.csv&municipality=131041", csv("O"))).json()) as {
      jobId: string;
    };
    const foreign = await finished(`/uploads/${adminJob.jobId}`, "staff-austin");
    expect(foreign.res.status).toBe(404);
  });

  it("shows jobs without a municipality to admins only, and answers foreign ids as unknown ones", async () => {
    // An admin's upload that names no municipality and that no profile recognises: it fails, owned by nobody.
    const res = await upload("admin", "?filename=mystery.csv", "colour,legs\nblack,4\n");
    const { jobId: failed } = (await res.json()) as { jobId: string };
    expect((await finished(`/uploads/${failed}`)).body).toMatchObject({ status: "failed", municipality: null });
    // A job without a municipality that quarantined raw rows (as the job log holds it).
    const key = "raw/unassigned/2024-05-01/secret.csv";
    const event = { s3: { bucket: { name: runtime.store.bucket }, object: { key, versionId: "v1", sha256: "" } } };
    const orphan = newJobRecord(event as never, "0123456789abcdef0123", "running", new Date());
    await runtime.jobs.save({ ...orphan, status: "succeeded", counts: { ...orphan.counts, read: 1, quarantined: 1 } });
    const writer = await runtime.jobs.openQuarantine(orphan.jobId);
    await writer.write({ row: 2, reason: "not a date", values: { owner: "山田 090-0000-0000" } });
    await writer.close();
    const admin = await finished(`/uploads/${orphan.jobId}`, "admin", "?quarantine=all");
    expect(admin.res.status).toBe(200);
    expect((admin.body.quarantine as { rows: unknown[] }).rows).toHaveLength(1);

    const foreign = (await (await upload("admin", "?filename=f.csv&municipality=131041", csv("F"))).json()) as {
      jobId: string;
    };
    const unknown = "ffffffffffffffffffff";
    const answer = async (id: string, query = "") => {
      const r = await app.request(`/uploads/${id}${query}`, {
        headers: { authorization: `Bearer ${tokens["staff-austin"]}` },
      });
      const body = (await r.json()) as { error: Record<string, unknown> };
      const { requestId: _r, ...error } = body.error;
      return { status: r.status, error };
    };
    const notFound = await answer(unknown);
    expect(notFound).toMatchObject({ status: 404, error: { code: "NOT_FOUND" } });
    for (const id of [failed, orphan.jobId, foreign.jobId]) {
      expect(await answer(id), id).toEqual(notFound);
      expect(await answer(id, "?quarantine=all&limit=10"), id).toEqual(notFound);
    }
  });

  it("refuses an upload past the limit with 413 and stores nothing", async () => {
    const before = await rawKeys();
    const big = `${HEADER}\n${row("B", "02/01/2020 10:00:00 AM").repeat(1).concat("\n").repeat(80)}`;
    const declared = await upload("admin", "?filename=big.csv", big);
    expect(declared.status).toBe(413);
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const chunked = await app.request("/uploads?filename=big.csv", {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.admin}`, "content-type": "text/csv" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as { error: { code: string } }).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await rawKeys()).toEqual(before);
  });
});
