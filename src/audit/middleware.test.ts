/**
 * Pins the audit middleware on a small Hono app shaped like the API (request ids, an authenticate
 * step, the one error handler):
 * - every call is recorded once, after the response: reads, writes, 401 from authentication,
 *   403 and 500 thrown by handlers (final status and the code from the JSON error body), 404s
 * - the user set by authentication and the request id are in the record; path parameters, query
 *   and the JSON body the handler read become requestParameters, secrets hidden
 * - a sign-in is attributed to the user its ID token names; a refused one records the thrown
 *   error's audit code (UserLockedOut) while the response stays a generic 401; X-Forwarded-For (its last entry) only when trusted
 * - a write's small JSON response is summarised; a large one (over 64 KiB) is not read for the trail
 * - the response waits for its record to be spooled, never for its delivery: when the response is
 *   returned the record is in the spool and no log file has been written
 */
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { describe, expect, it } from "vitest";
import { toErrorResponse } from "../api/errors.js";
import { SignInError } from "../auth/auth-error.js";
import { CatdataError } from "../errors.js";
import { silentLogger } from "../log/logger.js";
import { manualClock } from "../testing/audit.js";
import { auditTrail } from "./middleware.js";
import type { AuditRecord } from "./record.js";
import { AuditRecorder } from "./recorder.js";

const token = (payload: object) => `e30.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.sig`;

function setup(trustForwardedFor = false) {
  const delivered: AuditRecord[] = [];
  const clock = manualClock();
  const recorder = new AuditRecorder({
    writer: { deliver: async (records) => delivered.push(...records), writeDigest: async () => undefined },
    settings: { eventSource: "catdata.local", region: "ap-northeast-1", accountId: "123456789012", newId: () => "id" },
    now: clock.now,
    timers: clock.timers,
  });
  const app = new Hono();
  app.use(auditTrail(recorder, { trustForwardedFor, now: clock.now }));
  app.use(requestId());
  app.onError((error, c) => toErrorResponse(error, c, silentLogger));
  app.post("/auth/login", async (c) => {
    const body = await c.req.json<{ username: string }>();
    return c.json({ idToken: token({ sub: "sub-1", "cognito:username": body.username }), expiresIn: 3600 });
  });
  app.post("/auth/refresh", () => {
    throw new SignInError("UserLockedOut");
  });
  app.use("/cats/*", async (c, next) => {
    if (c.req.header("authorization") !== "Bearer good") throw new CatdataError("UNAUTHENTICATED", "sign-in required");
    c.set("user" as never, { sub: "sub-1", username: "ana" } as never);
    await next();
  });
  app.get("/cats/:id", (c) => c.json({ id: c.req.param("id") }));
  app.post("/cats/:id/notes", async (c) => {
    const body = await c.req.json<{ apiKey: string }>();
    if (body.apiKey !== "ok") throw new CatdataError("FORBIDDEN", "not yours");
    return c.json({ noteId: "n1" }, 201);
  });
  app.post("/cats/:id/export", (c) =>
    c.json({ count: 20_000, rows: Array.from({ length: 20_000 }, (_, i) => `row ${i}`) }),
  );
  app.get("/cats/:id/boom", () => {
    throw new Error("database on fire");
  });
  const run = async (requests: [string, RequestInit?][]) => {
    for (const [url, init] of requests) await app.request(url, init);
    await recorder.flush();
    return delivered;
  };
  return { app, recorder, run };
}

const auth = { authorization: "Bearer good", "user-agent": "test-agent/1.0" };
const json = (body: object, headers: Record<string, string> = auth): RequestInit => ({
  method: "POST",
  headers: { ...headers, "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe("auditTrail middleware", () => {
  it("records reads, writes and every kind of failure once, with the final status", async () => {
    const records = await setup().run([
      ["/cats/c1?fields=all", { headers: auth }],
      ["/cats/c1"],
      ["/cats/c1/notes", json({ text: "hi", apiKey: "ok" })],
      ["/cats/c1/notes", json({ text: "hi", apiKey: "stolen" })],
      ["/cats/c1/boom", { headers: auth }],
      ["/nowhere", { headers: { "x-forwarded-for": "203.0.113.9" } }],
    ]);
    expect(records.map((r) => [r.eventName, r.errorCode ?? "ok", r.userIdentity.type])).toEqual([
      ["GetCats", "ok", "IAMUser"],
      ["GetCats", "NotAuthorizedException", "Unknown"],
      ["CreateCatsNotes", "ok", "IAMUser"],
      ["CreateCatsNotes", "AccessDenied", "IAMUser"],
      ["GetCatsBoom", "InternalFailure", "IAMUser"],
      ["UnknownOperation", "ResourceNotFoundException", "Unknown"],
    ]);
    const [read, anonymous, write, denied, boom, unmatched] = records;
    expect(read).toMatchObject({
      requestParameters: { id: "c1", fields: "all" },
      userAgent: "test-agent/1.0",
      userIdentity: { userName: "ana", principalId: "sub-1" },
      requestID: expect.stringMatching(/\S{8,}/),
      sourceIPAddress: "unknown",
      readOnly: true,
    });
    expect(anonymous).toMatchObject({ errorMessage: expect.stringContaining("sign-in required") });
    expect(write).toMatchObject({
      responseElements: { noteId: "n1" },
      requestParameters: { apiKey: "HIDDEN_DUE_TO_SECURITY_REASONS" },
    });
    expect(denied).toMatchObject({ errorMessage: "not yours", requestParameters: { id: "c1", text: "hi" } });
    expect(boom?.errorMessage).not.toContain("on fire");
    expect(unmatched).toMatchObject({ requestParameters: { path: "/nowhere" }, sourceIPAddress: "unknown" });
  });

  it("attributes a sign-in to its user and trusts X-Forwarded-For only when told", async () => {
    const records = await setup(true).run([
      ["/auth/login", json({ username: "ana", password: "pw" }, { "x-forwarded-for": "10.9.9.9, 203.0.113.9" })],
      ["/auth/refresh", json({ refreshToken: "r" }, {})],
    ]);
    expect(records[1]).toMatchObject({
      eventName: "RefreshToken",
      errorCode: "UserLockedOut",
      errorMessage: "incorrect username or password",
      userIdentity: { type: "Unknown" },
      requestParameters: null,
    });
    expect(records[0]).toMatchObject({
      eventName: "Login",
      userIdentity: { type: "IAMUser", userName: "ana", principalId: "sub-1" },
      sourceIPAddress: "203.0.113.9",
      requestParameters: { username: "ana", password: "HIDDEN_DUE_TO_SECURITY_REASONS" },
      responseElements: { idToken: "HIDDEN_DUE_TO_SECURITY_REASONS", expiresIn: 3600 },
    });
  });

  it("summarises a small write response and leaves a large one unread", async () => {
    const records = await setup().run([
      ["/cats/c1/notes", json({ apiKey: "ok" })],
      ["/cats/c1/export", { method: "POST", headers: auth }],
    ]);
    expect(records.map((r) => r.responseElements)).toEqual([{ noteId: "n1" }, null]);
  });

  it("answers once the record is spooled, before it is delivered", async () => {
    const { app, recorder } = setup();
    const res = await app.request("/cats/c1", { headers: auth });
    expect(res.status).toBe(200);
    expect(recorder.stats()).toMatchObject({ buffered: 1, deliveredFiles: 0 });
  });
});
