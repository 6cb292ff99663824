/**
 * Pins `POST /uploads/:id/preview` and `GET /uploads/:id/suggestion` over an Austin-like outcomes
 * export (src/testing/outcomes-export.ts) uploaded through the API, every figure against an
 * independent count over the generated rows:
 * - the preview's records per category and month, its quarantined rows (count, the first example's
 *   row and reason) and its skipped (not cat) rows
 * - the suggestion lists every unmapped label with its row count over the whole file
 * - nothing is written: the data directory (store, lake, catalog, job log) is byte-for-byte as before
 * - staff of another municipality get the 404 of an unknown id; analysts and viewers 403
 * - a bad mapping names its field; a mapped header the file lacks is named once (no per-row "empty")
 * - the upload at exactly CATDATA_PREVIEW_MAX_BYTES previews; one byte over, or a gzip inflating past
 *   it, is 413 naming the setting
 * - the call is audited as PreviewUpload, by its user
 * - an upload no profile matches fails with the suggest-mapping hint, and its suggestion answers
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditRecord } from "../../audit/record.js";
import type { AuditRecorder } from "../../audit/recorder.js";
import { DataDir } from "../../local/data-dir.js";
import { silentLogger } from "../../log/logger.js";
import { openRuntime, type Runtime } from "../../runtime.js";
import { createTestAuth, signIn } from "../../testing/auth.js";
import { tempConfig } from "../../testing/fixtures.js";
import { type ExportRow, OUTCOME_CONVENTION, outcomesExport, UNKNOWN_OUTCOMES } from "../../testing/outcomes-export.js";
import { createApiApp } from "../app.js";

const PASSWORD = "Correct-Horse-9";
const A = "us-tx-austin";
const { csv, rows } = outcomesExport(1500, 5);
/** The limit is the export's own size: the export previews, one byte more does not. */
const LIMIT = Buffer.byteLength(csv);

const CONVENTION = OUTCOME_CONVENTION;
const MAPPING = {
  format: "catdata-mapping/1",
  name: "austin-export-outcomes",
  dataset: "outcomes",
  columns: { animalId: "Animal ID", outcomeAt: "Outcome Date", outcomeType: "Outcome Type" },
  values: { outcomeType: CONVENTION },
  dateFormat: "mdy",
  filter: { column: "Animal Type", values: ["Cat", "Kitten"] },
};
const isCat = (r: ExportRow) => r.animalType === "Cat" || r.animalType === "Kitten";
const isUnknown = (r: ExportRow) => (UNKNOWN_OUTCOMES as readonly string[]).includes(r.outcomeType);
const monthOf = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;

let runtime: Runtime;
let app: ReturnType<typeof createApiApp>;
const tokens: Record<string, string> = {};
const audited: AuditRecord[] = [];
let jobId: string;

const as = (user: string, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${tokens[user]}`,
  ...extra,
});
const preview = (user: string, id: string, body: unknown) =>
  app.request(`/uploads/${id}/preview`, {
    method: "POST",
    headers: as(user, { "content-type": "application/json" }),
    body: JSON.stringify(body),
  });
async function uploadAndWait(name: string, body: Uint8Array | string): Promise<string> {
  const res = await app.request(`/uploads?filename=${name}&municipality=${A}`, {
    method: "POST",
    headers: as("admin", { "content-type": "application/octet-stream" }),
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
  expect(res.status).toBe(202);
  const { jobId: id } = (await res.json()) as { jobId: string };
  await runtime.jobs.waitFor(id);
  // The job's locks are released just after its record is final.
  for (let i = 0; i < 100 && readdirSafe(path.join(runtime.config.dataDirectory, "jobs", "locks")).length > 0; i++)
    await new Promise((r) => setTimeout(r, 20));
  return id;
}
const readdirSafe = (dir: string) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};
/** Every file under the data directory with its size and mtime: what a write would change. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const s = statSync(full);
        out[path.relative(dir, full)] = `${s.size}@${s.mtimeMs}`;
      }
    }
  };
  walk(dir);
  return out;
}

beforeAll(async () => {
  // The marts are not rebuilt after the upload's load: what changes under the data directory is what the test did.
  runtime = await openRuntime(tempConfig({ CATDATA_PREVIEW_MAX_BYTES: String(LIMIT) }), silentLogger, {
    rebuildMartsAfterLoad: false,
  });
  const auth = await createTestAuth(new DataDir(runtime.config.dataDirectory));
  const audit = {
    settings: { eventSource: "catdata.local", region: "ap-northeast-1", accountId: "123456789012", newId: () => "e" },
    capture: async (work: Promise<AuditRecord | undefined>) => {
      const record = await work;
      if (record) audited.push(record);
    },
  } as unknown as AuditRecorder;
  app = createApiApp({ runtime, ...auth, audit });
  const users = [
    { username: "admin", password: PASSWORD, groups: ["admin" as const] },
    { username: "staff-austin", password: PASSWORD, groups: ["staff" as const], municipality: A },
    { username: "staff-tokyo", password: PASSWORD, groups: ["staff" as const], municipality: "131041" },
    { username: "ana", password: PASSWORD, groups: ["analyst" as const] },
  ];
  for (const user of users) {
    await auth.users.create(user);
    tokens[user.username] = await signIn(app, user.username, PASSWORD);
  }
  jobId = await uploadAndWait("outcomes.csv", csv);
}, 60_000);
afterAll(async () => runtime.close());

describe("POST /uploads/:id/preview", () => {
  it("counts per category and month, quarantined and skipped rows as an independent count does, writing nothing", async () => {
    const before = snapshot(runtime.config.dataDirectory);
    const jobsBefore = await runtime.jobs.list();
    const res = await preview("staff-austin", jobId, { mapping: MAPPING });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      rows: number;
      loaded: number;
      byCategoryMonth: { category: string; month: string; rows: number }[];
      quarantined: { rows: number; examples: { row: number; reason: string }[] };
      unmapped: { label: string; rows: number }[];
      skipped: { rows: number; labels: { label: string; rows: number }[] };
    };
    const expected: Record<string, number> = {};
    for (const r of rows.filter((r) => isCat(r) && !isUnknown(r))) {
      const key = `${CONVENTION[r.outcomeType]}|${monthOf(r.outcome)}`;
      expected[key] = (expected[key] ?? 0) + 1;
    }
    expect(Object.fromEntries(body.byCategoryMonth.map((c) => [`${c.category}|${c.month}`, c.rows]))).toEqual(expected);
    const cats = rows.filter(isCat);
    const unknown = cats.filter(isUnknown);
    expect(body.rows).toBe(rows.length);
    expect(body.loaded).toBe(cats.length - unknown.length);
    expect(body.quarantined.rows).toBe(unknown.length);
    const first = rows.findIndex((r) => isCat(r) && isUnknown(r));
    expect(body.quarantined.examples[0]?.row).toBe(first + 1);
    expect(body.quarantined.examples[0]?.reason).toContain(`"${rows[first]?.outcomeType}"`);
    expect(new Map(body.unmapped.map((u) => [u.label, u.rows]))).toEqual(
      new Map(UNKNOWN_OUTCOMES.map((label) => [label, unknown.filter((r) => r.outcomeType === label).length])),
    );
    expect(body.skipped.rows).toBe(rows.length - cats.length);
    expect(body.skipped.labels).toEqual([{ label: "Dog", rows: rows.length - cats.length }]);

    expect(snapshot(runtime.config.dataDirectory)).toEqual(before);
    expect(await runtime.jobs.list()).toEqual(jobsBefore);
    expect(audited.at(-1)).toMatchObject({ eventName: "PreviewUpload", userIdentity: { userName: "staff-austin" } });
  });

  it("answers another municipality's staff as an unknown id (404), and refuses analysts", async () => {
    const foreign = await preview("staff-tokyo", jobId, { mapping: MAPPING });
    const unknown = await preview("admin", "0123456789abcdef0123", { mapping: MAPPING });
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    const message = (r: unknown) => (r as { error: { message: string } }).error.message;
    expect(message(await foreign.json())).toBe(message(await unknown.json()));
    expect((await preview("ana", jobId, { mapping: MAPPING })).status).toBe(403);
  });

  it("names the field of a bad mapping, and a mapped header the file lacks once", async () => {
    const { outcomeType: _dropped, ...columns } = MAPPING.columns;
    const missingField = await preview("admin", jobId, { mapping: { ...MAPPING, columns } });
    expect(missingField.status).toBe(400);
    expect(JSON.stringify(await missingField.json())).toContain("outcomes.outcomeType");
    const badFormat = await preview("admin", jobId, { mapping: { ...MAPPING, dateFormat: "yyyy" } });
    expect(badFormat.status).toBe(400);
    expect(JSON.stringify(await badFormat.json())).toContain("mapping field dateFormat");
    const wrongHeader = await preview("admin", jobId, {
      mapping: { ...MAPPING, columns: { ...MAPPING.columns, outcomeType: "Outcome Typ" } },
    });
    expect(wrongHeader.status).toBe(400);
    const text = JSON.stringify(await wrongHeader.json());
    expect(text).toContain('column \\"Outcome Typ\\", which outcomes.csv does not have');
    expect(text.match(/Outcome Typ\\"/g)).toHaveLength(1);
  });

  it("previews an upload of exactly CATDATA_PREVIEW_MAX_BYTES; one byte over, or inflating past it, is 413", async () => {
    const at = await runtime.store.head((await runtime.jobs.get(jobId))?.key ?? "");
    expect(at.size).toBe(LIMIT);
    const over = await uploadAndWait("over.csv", `${csv}\n`);
    const res = await preview("admin", over, { mapping: MAPPING });
    expect(res.status).toBe(413);
    expect(JSON.stringify(await res.json())).toContain("CATDATA_PREVIEW_MAX_BYTES");
    const zipped = gzipSync(`${csv}${csv.slice(csv.indexOf("\n") + 1)}`);
    expect(zipped.length).toBeLessThan(LIMIT);
    const inflating = await uploadAndWait("twice.csv.gz", zipped);
    const inflated = await preview("admin", inflating, { mapping: MAPPING });
    expect(inflated.status).toBe(413);
    expect(JSON.stringify(await inflated.json())).toContain("inflates to more than");
  });
});

describe("GET /uploads/:id/suggestion", () => {
  it("proposes an outcomes mapping whose unmapped labels carry their counts over the whole file", async () => {
    const res = await app.request(`/uploads/${jobId}/suggestion`, { headers: as("staff-austin") });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      rows: number;
      suggestions: { dataset: string; unmapped: { label: string; rows: number }[] }[];
    };
    expect(body.rows).toBe(rows.length);
    const outcomes = body.suggestions.find((s) => s.dataset === "outcomes");
    const unknown = rows.filter((r) => isCat(r) && isUnknown(r));
    expect(new Map(outcomes?.unmapped.map((u) => [u.label, u.rows]))).toEqual(
      new Map(UNKNOWN_OUTCOMES.map((label) => [label, unknown.filter((r) => r.outcomeType === label).length])),
    );
    const foreign = await app.request(`/uploads/${jobId}/suggestion`, { headers: as("staff-tokyo") });
    expect(foreign.status).toBe(404);
  });

  it("is where a failed upload no profile matches goes next: its error carries the suggest-mapping hint", async () => {
    const renamed = `Ref,Came In,Went Out,Result,Kind,Stay\n${csv.slice(csv.indexOf("\n") + 1)}`;
    const id = await uploadAndWait("renamed.csv", renamed);
    const status = (await (await app.request(`/uploads/${id}`, { headers: as("admin") })).json()) as {
      status: string;
      error: string;
    };
    expect(status.status).toBe("failed");
    expect(status.error).toMatch(/^no mapping profile matches renamed\.csv .* — .*catdata suggest-mapping <file>/);
    const res = await app.request(`/uploads/${id}/suggestion`, { headers: as("admin") });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { rows: number }).rows).toBe(rows.length);
  });
});
