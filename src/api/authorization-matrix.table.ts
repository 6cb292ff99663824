/**
 * The expectations of `authorization-matrix.test.ts`: one row per route of the API, each with probes
 * for every parameter that can name a municipality, and the exact outcome per role. A new route fails
 * the test until it has a row here. Data: us-tx-austin has 25 strays in 2019-01, 6 strays and 1 owner
 * surrender in 2019-02; 131041 has 3 strays in 2019-01. staffOwn is staff of us-tx-austin, staffOther
 * staff of 131041.
 */
export const ROLES = ["admin", "analyst", "staffOwn", "staffOther", "viewer", "anonymous"] as const;
export type Role = (typeof ROLES)[number];
export const PASSWORD = "Correct-Horse-9";

/** A status, or for a 2xx: the municipalities of the records returned, or the stats cells (null: suppressed). */
export type Expect =
  | number
  | { status: number; municipalities: string[] }
  | { status: number; cells: Record<string, number | null> }
  | { status: number; kpis: Record<string, number | null> };

export interface ProbeRequest {
  path: string;
  method?: string;
  body?: unknown;
  contentType?: string;
}

export interface Probe {
  name: string;
  request: (role: Role, context: Record<string, string>) => ProbeRequest;
  expect: Record<Role, Expect>;
}

export interface Row {
  /** `METHOD /path` as Hono lists it in `app.routes`. */
  route: string;
  probes: Probe[];
}

const A = "us-tx-austin";
const T = "131041";
const byRole = (e: Record<Role, Expect>) => e;
const same = (status: number) =>
  byRole({ admin: status, analyst: status, staffOwn: status, staffOther: status, viewer: status, anonymous: status });
const signedIn = (status: number) => ({ ...same(status), anonymous: 401 });
const adminOnly = (status: number) => ({ ...same(403), admin: status, anonymous: 401 });
const fixed = (path: string, body?: unknown) => () => ({ path, ...(body === undefined ? {} : { body }) });

const records = (...municipalities: string[]) => ({ status: 200, municipalities });
const cells = (entries: Record<string, number | null>) => ({ status: 200, cells: entries });
/** KPI rows: `municipality|fiscalYear` → intakes (null: suppressed). */
const kpis = (entries: Record<string, number | null>) => ({ status: 200, kpis: entries });
// Fiscal years: Austin's starts in October (Jan–Feb 2019 is FY 2018), 131041's in April (FY 2018).
const FY_A = `${A}|2018`;
const FY_T = `${T}|2018`;
const JAN_T = `${T}|2019-01|stray`;
const JAN_A = `${A}|2019-01|stray`;
const FEB_A_STRAY = `${A}|2019-02|stray`;
const FEB_A_OWNER = `${A}|2019-02|owner_surrender`;

/** The chat with the agent is for admins and analysts (whose own conversations only: src/api/routes/chat.test.ts). */
const chat = (status: number) => ({ ...same(403), admin: status, analyst: status, anonymous: 401 });

export const EXPECTATIONS: Row[] = [
  {
    route: "POST /auth/login",
    probes: [
      {
        name: "wrong password",
        request: fixed("/auth/login", { username: "admin", password: "Wrong-Horse-9" }),
        expect: same(401),
      },
    ],
  },
  {
    route: "POST /auth/refresh",
    probes: [{ name: "unknown token", request: fixed("/auth/refresh", { refreshToken: "bogus" }), expect: same(401) }],
  },
  { route: "POST /auth/logout", probes: [{ name: "no token", request: fixed("/auth/logout", {}), expect: same(200) }] },
  {
    route: "POST /auth/password",
    probes: [
      {
        name: "new password too weak",
        request: fixed("/auth/password", { currentPassword: PASSWORD, newPassword: "weak" }),
        expect: signedIn(400),
      },
    ],
  },
  {
    route: "GET /.well-known/jwks.json",
    probes: [{ name: "keys", request: fixed("/.well-known/jwks.json"), expect: same(200) }],
  },
  {
    route: "GET /municipalities",
    probes: [{ name: "list", request: fixed("/municipalities"), expect: signedIn(200) }],
  },
  {
    route: "GET /cats",
    probes: [
      {
        name: "no municipality",
        request: fixed("/cats"),
        expect: {
          admin: records(T, A),
          analyst: records(T, A),
          staffOwn: records(A),
          staffOther: records(T),
          viewer: 403,
          anonymous: 401,
        },
      },
      {
        name: `municipality=${A}`,
        request: fixed(`/cats?municipality=${A}`),
        expect: {
          admin: records(A),
          analyst: records(A),
          staffOwn: records(A),
          staffOther: 403,
          viewer: 403,
          anonymous: 401,
        },
      },
      {
        name: `municipality=${T}`,
        request: fixed(`/cats?municipality=${T}`),
        expect: {
          admin: records(T),
          analyst: records(T),
          staffOwn: 403,
          staffOther: records(T),
          viewer: 403,
          anonymous: 401,
        },
      },
      { name: "municipality twice", request: fixed(`/cats?municipality=${A}&municipality=${T}`), expect: same(400) },
    ],
  },
  {
    route: "GET /cats/stats",
    probes: [
      {
        name: "every municipality",
        request: fixed("/cats/stats"),
        expect: {
          admin: cells({ [JAN_T]: 3, [JAN_A]: 25, [FEB_A_STRAY]: 6, [FEB_A_OWNER]: 1 }),
          analyst: cells({ [JAN_T]: 3, [JAN_A]: 25, [FEB_A_STRAY]: 6, [FEB_A_OWNER]: 1 }),
          staffOwn: cells({ [JAN_T]: null, [JAN_A]: 25, [FEB_A_STRAY]: 6, [FEB_A_OWNER]: 1 }),
          staffOther: cells({ [JAN_T]: 3, [JAN_A]: 25, [FEB_A_STRAY]: null, [FEB_A_OWNER]: null }),
          viewer: cells({ [JAN_T]: null, [JAN_A]: 25, [FEB_A_STRAY]: null, [FEB_A_OWNER]: null }),
          anonymous: 401,
        },
      },
      {
        name: `municipality=${T}`,
        request: fixed(`/cats/stats?municipality=${T}`),
        expect: {
          admin: cells({ [JAN_T]: 3 }),
          analyst: cells({ [JAN_T]: 3 }),
          staffOwn: cells({ [JAN_T]: null }),
          staffOther: cells({ [JAN_T]: 3 }),
          viewer: cells({ [JAN_T]: null }),
          anonymous: 401,
        },
      },
      {
        // Isolating the 6 strays of February by type must not reveal what the whole month hides.
        name: `municipality=${A}&type=stray`,
        request: fixed(`/cats/stats?municipality=${A}&type=stray`),
        expect: {
          admin: cells({ [JAN_A]: 25, [FEB_A_STRAY]: 6 }),
          analyst: cells({ [JAN_A]: 25, [FEB_A_STRAY]: 6 }),
          staffOwn: cells({ [JAN_A]: 25, [FEB_A_STRAY]: 6 }),
          staffOther: cells({ [JAN_A]: 25, [FEB_A_STRAY]: null }),
          viewer: cells({ [JAN_A]: 25, [FEB_A_STRAY]: null }),
          anonymous: 401,
        },
      },
      {
        // A range cut inside a month would let two requests be differenced: refused unless exact.
        name: `municipality=${A}&from=2019-02-15`,
        request: fixed(`/cats/stats?municipality=${A}&from=2019-02-15`),
        expect: {
          admin: cells({ [FEB_A_OWNER]: 1 }),
          analyst: cells({ [FEB_A_OWNER]: 1 }),
          staffOwn: cells({ [FEB_A_OWNER]: 1 }),
          staffOther: 400,
          viewer: 400,
          anonymous: 401,
        },
      },
      {
        name: "municipality twice",
        request: fixed(`/cats/stats?municipality=${A}&municipality=${T}`),
        expect: same(400),
      },
    ],
  },
  {
    route: "GET /kpis",
    probes: [
      {
        name: "every municipality",
        request: fixed("/kpis"),
        expect: {
          admin: kpis({ [FY_A]: 32, [FY_T]: 3 }),
          analyst: kpis({ [FY_A]: 32, [FY_T]: 3 }),
          staffOwn: kpis({ [FY_A]: 32, [FY_T]: null }),
          staffOther: kpis({ [FY_A]: 32, [FY_T]: 3 }),
          viewer: kpis({ [FY_A]: 32, [FY_T]: null }),
          anonymous: 401,
        },
      },
      {
        name: `municipality=${T}&period=month`,
        request: fixed(`/kpis?municipality=${T}&period=month`),
        expect: {
          admin: kpis({ [FY_T]: 3 }),
          analyst: kpis({ [FY_T]: 3 }),
          staffOwn: kpis({ [FY_T]: null }),
          staffOther: kpis({ [FY_T]: 3 }),
          viewer: kpis({ [FY_T]: null }),
          anonymous: 401,
        },
      },
      { name: "municipality twice", request: fixed(`/kpis?municipality=${A}&municipality=${T}`), expect: same(400) },
      { name: "unknown parameter", request: fixed("/kpis?species=dog"), expect: same(400) },
    ],
  },
  ...(
    [
      ["POST /chat", fixed("/chat", { question: "What did alice do?", lang: "en" }), 200],
      ["GET /chat/conversations", fixed("/chat/conversations"), 200],
      ["GET /chat/conversations/:id", fixed("/chat/conversations/unknown-id"), 404],
    ] as const
  ).map(([route, request, status]) => ({
    route,
    probes: [{ name: "the agent's chat", request, expect: chat(status) }],
  })),
  { route: "GET /users", probes: [{ name: "list", request: fixed("/users"), expect: adminOnly(200) }] },
  {
    route: "POST /users",
    probes: [A, T].map((municipality) => ({
      name: `staff of ${municipality}`,
      request: (role: Role) => ({
        path: "/users",
        body: { username: `by-${role}-${municipality}`, password: PASSWORD, groups: ["staff"], municipality },
      }),
      expect: adminOnly(201),
    })),
  },
  {
    route: "POST /users/:username/disable",
    probes: [{ name: "another user", request: fixed("/users/victim/disable"), expect: adminOnly(200) }],
  },
  {
    route: "POST /users/:username/enable",
    probes: [{ name: "another user", request: fixed("/users/victim/enable"), expect: adminOnly(200) }],
  },
  {
    route: "POST /users/:username/password",
    probes: [
      {
        name: "reset",
        request: fixed("/users/victim/password", { password: "Battery-Staple-7" }),
        expect: adminOnly(200),
      },
    ],
  },
  // Routes of the API owner's files (uploads, queries, OpenAPI). Uploads come last: they add data.
  { route: "GET /openapi.json", probes: [{ name: "document", request: fixed("/openapi.json"), expect: same(200) }] },
  { route: "GET /docs", probes: [{ name: "page", request: fixed("/docs"), expect: same(200) }] },
  {
    route: "POST /queries",
    probes: [
      {
        name: "count",
        request: fixed("/queries", { sql: "SELECT count(*) AS n FROM intakes" }),
        expect: analysts(200),
      },
    ],
  },
  { route: "GET /queries/saved", probes: [{ name: "list", request: fixed("/queries/saved"), expect: analysts(200) }] },
  {
    route: "POST /queries/saved",
    probes: [
      {
        name: "save",
        request: (role) => ({
          path: "/queries/saved",
          body: { name: `q-${role.toLowerCase()}`, sql: "SELECT 1 AS one" },
        }),
        expect: analysts(201),
      },
    ],
  },
  {
    route: "POST /queries/saved/:name/run",
    probes: [{ name: "run the admin's", request: fixed("/queries/saved/q-admin/run", {}), expect: analysts(200) }],
  },
  {
    route: "GET /queries/saved/:name/versions",
    probes: [{ name: "the admin's", request: fixed("/queries/saved/q-admin/versions"), expect: analysts(200) }],
  },
  {
    route: "GET /queries/saved/:name/versions/:version",
    probes: [{ name: "the admin's first", request: fixed("/queries/saved/q-admin/versions/1"), expect: analysts(200) }],
  },
  {
    route: "GET /uploads/:id",
    probes: [
      {
        name: `a job of ${A}`,
        request: (_, context) => ({ path: `/uploads/${context.austinJob}` }),
        // Another municipality's job answers as an unknown id would (404), so ids do not leak.
        expect: { admin: 200, analyst: 403, staffOwn: 200, staffOther: 404, viewer: 403, anonymous: 401 },
      },
    ],
  },
  {
    route: "POST /uploads/:id/preview",
    probes: [
      {
        name: `a job of ${A}`,
        request: (_, context) => ({
          path: `/uploads/${context.austinJob}/preview`,
          body: { mapping: PREVIEW_MAPPING },
        }),
        // As GET /uploads/:id: another municipality's upload answers as an unknown id would (404).
        expect: { admin: 200, analyst: 403, staffOwn: 200, staffOther: 404, viewer: 403, anonymous: 401 },
      },
    ],
  },
  {
    route: "GET /uploads/:id/suggestion",
    probes: [
      {
        name: `a job of ${A}`,
        request: (_, context) => ({ path: `/uploads/${context.austinJob}/suggestion` }),
        expect: { admin: 200, analyst: 403, staffOwn: 200, staffOther: 404, viewer: 403, anonymous: 401 },
      },
    ],
  },
  {
    route: "GET /loads/history",
    probes: [
      {
        name: "own loads",
        request: fixed("/loads/history"),
        expect: { ...adminOnly(200), staffOwn: 200, staffOther: 200 },
      },
      {
        name: `?municipality=${A}`,
        request: fixed(`/loads/history?municipality=${A}`),
        expect: { ...adminOnly(200), staffOwn: 200, staffOther: 403 },
      },
    ],
  },
  {
    route: "POST /loads/:id/retract",
    probes: [
      {
        // An unknown id answers as another municipality's load would (404), so ids do not leak.
        name: "an unknown load",
        request: () => ({ path: "/loads/0123456789abcdef0123/retract", method: "POST", body: {} }),
        expect: { ...adminOnly(404), staffOwn: 404, staffOther: 404 },
      },
    ],
  },
  {
    route: "POST /uploads",
    probes: [
      { name: "no municipality", request: () => upload(""), expect: uploads({ staffOwn: 202, staffOther: 202 }) },
      {
        name: `?municipality=${A}`,
        request: () => upload(`&municipality=${A}`),
        expect: uploads({ staffOwn: 202, staffOther: 403 }),
      },
      {
        name: `?municipality=${T}`,
        request: () => upload(`&municipality=${T}`),
        expect: uploads({ staffOwn: 403, staffOther: 202 }),
      },
      {
        name: `form field municipality=${A}`,
        request: () => multipart(A),
        expect: uploads({ staffOwn: 202, staffOther: 403 }),
      },
      {
        name: `form field municipality=${T}`,
        request: () => multipart(T),
        expect: uploads({ staffOwn: 403, staffOther: 202 }),
      },
      {
        // A bad check digit: refused before anything is stored (staff are held to their own first).
        name: "?municipality=272036",
        request: () => upload("&municipality=272036"),
        expect: { ...uploads({ staffOwn: 403, staffOther: 403 }), admin: 400 },
      },
    ],
  },
  {
    route: "GET /templates/:dataset",
    probes: [
      { name: "tnr, ja, xlsx", request: fixed("/templates/tnr?lang=ja&format=xlsx"), expect: signedIn(200) },
      { name: "unknown dataset", request: fixed("/templates/cats?format=csv"), expect: signedIn(400) },
    ],
  },
  {
    route: "GET /trail/principals",
    probes: [{ name: "list", request: fixed("/trail/principals"), expect: adminOnly(200) }],
  },
  {
    route: "GET /trail/principals/:principal/profile",
    probes: [{ name: "unknown", request: fixed("/trail/principals/nobody/profile"), expect: adminOnly(404) }],
  },
  {
    route: "GET /trail/principals/:principal/predictions",
    probes: [{ name: "unknown", request: fixed("/trail/principals/nobody/predictions"), expect: adminOnly(404) }],
  },
  {
    route: "GET /trail/anomalies",
    probes: [{ name: "ranked", request: fixed("/trail/anomalies"), expect: adminOnly(200) }],
  },
];

function analysts(status: number): Record<Role, Expect> {
  return { ...same(403), admin: status, analyst: status, anonymous: 401 };
}

/** A mapping of the matrix's Austin intakes file, for the preview probe. */
const PREVIEW_MAPPING = {
  format: "catdata-mapping/1",
  name: "matrix-intakes",
  dataset: "intakes",
  columns: { animalId: "Animal ID", intakeAt: "DateTime", intakeType: "Intake Type" },
  values: { intakeType: { Stray: "stray", "Owner Surrender": "owner_surrender" } },
  species: { column: "Animal Type", cat: ["Cat"] },
};

function uploads(staff: { staffOwn: number; staffOther: number }): Record<Role, Expect> {
  return { admin: 202, analyst: 403, viewer: 403, anonymous: 401, ...staff };
}

/** An empty Austin-format file: accepted and processed, adding no records to what the probes above read. */
const EMPTY_CSV =
  "Animal ID,Name,DateTime,MonthYear,Found Location,Intake Type,Intake Condition,Animal Type,Sex upon Intake,Age upon Intake,Breed,Color\n";

function upload(query: string): ProbeRequest {
  return { path: `/uploads?filename=empty.csv${query}`, method: "POST", body: EMPTY_CSV, contentType: "text/csv" };
}

function multipart(municipality: string): ProbeRequest {
  const body = [
    "--matrix",
    'Content-Disposition: form-data; name="municipality"',
    "",
    municipality,
    "--matrix",
    'Content-Disposition: form-data; name="file"; filename="empty.csv"',
    "Content-Type: text/csv",
    "",
    EMPTY_CSV,
    "--matrix--",
    "",
  ].join("\r\n");
  return { path: "/uploads", method: "POST", body, contentType: "multipart/form-data; boundary=matrix" };
}
