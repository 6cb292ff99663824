/**
 * Pins the whole authorisation matrix, in process (createApiApp + app.request, data ingested through
 * the real pipeline):
 * - every route × role (admin, analyst, staff-own = staff of us-tx-austin, staff-other = staff of
 *   131041, viewer, anonymous) × every parameter that can name a municipality (none, own, other,
 *   both) answers exactly the status in the table, and record-level answers hold only the
 *   municipalities the table allows (no leak)
 * - /cats/stats shows exact counts only where the caller may read the records; elsewhere small
 *   cells, their complements and type-filtered views of them are suppressed; day-cut ranges refused
 * - the table is complete: the app has no route the table does not list, and every route declares
 *   a rule with authorize()
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFile } from "../etl/ingest.js";
import { DataDir } from "../local/data-dir.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { createTestAuth } from "../testing/auth.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import { createApiApp } from "./app.js";
import { EXPECTATIONS, type Expect, PASSWORD, ROLES, type Role } from "./authorization-matrix.table.js";
import { ruleOf } from "./middleware/authorize.js";
import { usersRoutes } from "./routes/users.js";

const HEADER =
  "Animal ID,Name,DateTime,MonthYear,Found Location,Intake Type,Intake Condition,Animal Type,Sex upon Intake,Age upon Intake,Breed,Color";
const row = (id: string, day: string, type: string) =>
  `${id},N,${day} 10:00:00 AM,x,Loc,${type},Normal,Cat,Intact Female,1 year,DSH,Black`;

let runtime: Runtime;
let app: ReturnType<typeof createApiApp>;
const tokens = new Map<Role, string>();
const context: Record<string, string> = {};

beforeAll(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
  const auth = await createTestAuth(new DataDir(runtime.config.dataDirectory));
  app = createApiApp({ runtime, ...auth });
  // Until app.ts mounts the user admin routes (see docs/security.md), mount them here.
  if (!app.routes.some((r) => r.path === "/users")) app.route("/", usersRoutes({ runtime, ...auth }));
  const users: [Role, Parameters<typeof auth.users.create>[0]][] = [
    ["admin", { username: "admin", password: PASSWORD, groups: ["admin"] }],
    ["analyst", { username: "ana", password: PASSWORD, groups: ["analyst"] }],
    ["staffOwn", { username: "staff-austin", password: PASSWORD, groups: ["staff"], municipality: "us-tx-austin" }],
    ["staffOther", { username: "staff-tokyo", password: PASSWORD, groups: ["staff"], municipality: "131041" }],
    ["viewer", { username: "vic", password: PASSWORD, groups: ["viewer"] }],
  ];
  for (const [role, input] of users) {
    await auth.users.create(input);
    const res = await app.request("/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: input.username, password: PASSWORD }),
    });
    tokens.set(role, ((await res.json()) as { accessToken: string }).accessToken);
  }
  await auth.users.create({ username: "victim", password: PASSWORD, groups: ["viewer"] });
  // us-tx-austin: January 25 strays; February 6 strays + 1 owner surrender. 131041: January 3 strays.
  const dir = tempDir();
  const austin = [
    ...Array.from({ length: 25 }, (_, i) => row(`A${100 + i}`, `01/${String(1 + i).padStart(2, "0")}/2019`, "Stray")),
    ...Array.from({ length: 6 }, (_, i) => row(`A${200 + i}`, `02/${String(1 + i).padStart(2, "0")}/2019`, "Stray")),
    row("A300", "02/20/2019", "Owner Surrender"),
  ];
  writeFileSync(path.join(dir, "austin.csv"), [HEADER, ...austin].join("\n"));
  const job = await ingestFile(runtime, path.join(dir, "austin.csv"), { municipality: "us-tx-austin" });
  context.austinJob = job.jobId;
  const tokyo = Array.from({ length: 3 }, (_, i) => row(`T${i}`, `01/0${1 + i}/2019`, "Stray"));
  writeFileSync(path.join(dir, "tokyo.csv"), [HEADER, ...tokyo].join("\n"));
  await ingestFile(runtime, path.join(dir, "tokyo.csv"), { municipality: "131041" });
  await runtime.marts.idle(); // the KPI marts (GET /kpis) are rebuilt after each load
});
afterAll(async () => runtime.close());

/** What came back, reduced to what the table states: the status, plus municipalities or cells on 2xx. */
async function observe(res: Response, expected: Expect): Promise<Expect> {
  if (typeof expected === "number" || res.status >= 300) return res.status;
  const body = (await res.json()) as {
    items?: { municipality?: string; fiscalYear?: number; intakes?: number | null; suppressed?: string[] }[];
    monthly?: { municipality: string; month: string; type: string | null; n: number | null; suppressed: boolean }[];
  };
  if ("municipalities" in expected) {
    return {
      status: res.status,
      municipalities: [...new Set((body.items ?? []).map((i) => String(i.municipality)))].sort(),
    };
  }
  if ("kpis" in expected) {
    const kpis: Record<string, number | null> = {};
    for (const row of body.items ?? []) {
      expect(row.suppressed?.includes("intakes"), "intakes listed in suppressed ⇔ null").toBe(row.intakes === null);
      kpis[`${row.municipality}|${row.fiscalYear}`] = row.intakes ?? null;
    }
    return { status: res.status, kpis };
  }
  const cells: Record<string, number | null> = {};
  for (const c of body.monthly ?? []) {
    expect(c.suppressed, "suppressed ⇔ n is null").toBe(c.n === null);
    cells[`${c.municipality}|${c.month}|${c.type}`] = c.n;
  }
  return { status: res.status, cells };
}

/** JSON with object keys sorted, so cells compare whatever order the response lists them in. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

describe("authorisation matrix", () => {
  it("answers every route × role × municipality parameter exactly as the table says", async () => {
    const mismatches: string[] = [];
    for (const entry of EXPECTATIONS) {
      for (const probe of entry.probes) {
        for (const role of ROLES) {
          const token = tokens.get(role);
          const request = probe.request(role, context);
          const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}) };
          if (request.body !== undefined) headers["content-type"] = request.contentType ?? "application/json";
          const res = await app.request(request.path, {
            method: request.method ?? entry.route.split(" ")[0],
            headers,
            ...(request.body !== undefined
              ? { body: typeof request.body === "string" ? request.body : JSON.stringify(request.body) }
              : {}),
          });
          const expected = probe.expect[role];
          const actual = await observe(res, expected);
          if (canonical(actual) !== canonical(expected)) {
            mismatches.push(
              `${entry.route} [${probe.name}] as ${role}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
            );
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("lists every route of the app, and every route declares its rule", () => {
    const listed = new Set(EXPECTATIONS.map((e) => e.route));
    const routes = new Map<string, boolean>();
    const specific = new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => r.path));
    for (const r of app.routes) {
      // `app.use` middleware is listed as ALL: on a wildcard, or on the path of a method-specific route.
      if (r.method === "ALL" && (/\*$/.test(r.path) || specific.has(r.path))) continue;
      const key = `${r.method} ${r.path}`;
      routes.set(key, (routes.get(key) ?? false) || ruleOf(r.handler) !== undefined);
    }
    expect(
      [...routes.keys()].filter((k) => !listed.has(k)),
      "routes missing from the table",
    ).toEqual([]);
    expect(
      [...listed].filter((k) => !routes.has(k)),
      "table rows without a route",
    ).toEqual([]);
    expect(
      [...routes].filter(([, declared]) => !declared).map(([k]) => k),
      "routes without authorize()",
    ).toEqual([]);
  });
});
