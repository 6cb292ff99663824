/**
 * Pins the whole path on the real API (createApiApp with `audit` in its deps, mounted at /api as
 * locally), in process:
 * - a session through several routes — sign-ins (one with a wrong password), reads, a 401 without a
 *   token, a 403 for another municipality, a 400, a 404, a sign-out — gives exactly one record per call
 * - delivered and digested into the store, the trail verifies, and exported to a folder it loads
 *   with the CloudTrail reader (`loadTrailFolder`) with no loss and no problems
 * - LookupEvents over the lake finds the test users as principals (`iam-user:<account>/<name>`),
 *   anonymous failures as `anonymous`, and every call's eventName
 */
import path from "node:path";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../api/app.js";
import { createVerifier, TokenIssuer } from "../auth/tokens.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { manualClock, testSigningKey } from "../testing/audit.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import { loadTrailFolder } from "../trail/lake/load-trail.js";
import { lookupEvents } from "../trail/lookup/lookup-events.js";
import { openAuditTrail } from "./open-audit-trail.js";
import type { AuditRecorder } from "./recorder.js";
import { exportTrail } from "./store-source.js";
import { verifyStoreTrail } from "./verify-store.js";

const PASSWORD = "Correct-Horse-9";
let runtime: Runtime;
let recorder: AuditRecorder;
let app: Hono;

beforeAll(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
  const { users } = runtime;
  const tokens = await TokenIssuer.open(runtime.keys, "http://127.0.0.1:8501/api");
  await users.create({ username: "ana", password: PASSWORD, groups: ["analyst"] });
  await users.create({ username: "staff-austin", password: PASSWORD, groups: ["staff"], municipality: "us-tx-austin" });
  const { timers } = manualClock(); // timers that never fire: delivery happens at close()
  recorder = await openAuditTrail({
    store: runtime.store,
    accountId: runtime.config.accountId,
    region: runtime.config.region,
    signingKey: testSigningKey(),
    basePath: "/api",
    timers,
  });
  const verify = createVerifier(() => tokens.jwks(), tokens.issuer);
  app = new Hono();
  app.route("/api", createApiApp({ runtime, users, tokens, verify, audit: recorder }));
});
afterAll(async () => runtime.close());

const login = async (username: string, password = PASSWORD) => {
  const res = await app.request("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  return res.ok ? ((await res.json()) as { idToken: string }).idToken : undefined;
};
const get = (url: string, token?: string) =>
  app.request(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});

describe("the audit trail of an API session", () => {
  it("records every call, verifies, and reads back through the CloudTrail reader with the users as principals", async () => {
    const ana = await login("ana");
    expect(await login("ana", "wrong-password-1A")).toBeUndefined();
    const staff = await login("staff-austin");
    const statuses = [
      (await get("/api/cats")).status,
      (await get("/api/cats?dataset=intakes", ana)).status,
      (await get("/api/cats?municipality=131041", staff)).status,
      (await get("/api/cats?dataset=bogus", ana)).status,
      (await get("/api/municipalities", ana)).status,
      (await get("/api/no-such-route", ana)).status,
      (await app.request("/api/auth/logout", { method: "POST" })).status,
    ];
    expect(statuses).toEqual([401, 200, 403, 400, 200, 404, 200]);
    await recorder.close();
    expect(recorder.stats()).toMatchObject({ deliveredRecords: 10, buffered: 0, digests: 1 });
    expect(await verifyStoreTrail(runtime.store, { publicKey: testSigningKey().publicKeyPem })).toMatchObject({
      ok: true,
      validLogFiles: 1,
    });

    const folder = tempDir();
    await exportTrail(runtime.store, folder);
    const summary = await loadTrailFolder(runtime.trail, path.join(folder, "AWSLogs"));
    expect(summary).toMatchObject({
      filesLoaded: 2,
      recordsLoaded: 10,
      digestFiles: 1,
      unreadableFiles: [],
      filesWithProblems: [],
    });
    const { events } = await lookupEvents(runtime.trail);
    const seen = events
      .map((e) => [
        e.EventName,
        e.principal,
        (JSON.parse(e.CloudTrailEvent) as { errorCode?: string }).errorCode ?? "ok",
      ])
      .sort();
    const account = runtime.config.accountId;
    expect(seen).toEqual(
      [
        ["Login", `iam-user:${account}/ana`, "ok"],
        ["Login", "anonymous", "NotAuthorizedException"],
        ["Login", `iam-user:${account}/staff-austin`, "ok"],
        ["GetCats", "anonymous", "NotAuthorizedException"],
        ["GetCats", `iam-user:${account}/ana`, "ok"],
        ["GetCats", `iam-user:${account}/staff-austin`, "AccessDenied"],
        ["GetCats", `iam-user:${account}/ana`, "ValidationException"],
        ["ListMunicipalities", `iam-user:${account}/ana`, "ok"],
        ["UnknownOperation", `iam-user:${account}/ana`, "ResourceNotFoundException"],
        ["Logout", "anonymous", "ok"],
      ].sort(),
    );
    const byAna = await lookupEvents(runtime.trail, {
      lookupAttributes: [{ attributeKey: "Username", attributeValue: "ana" }],
    });
    expect(byAna.events.length).toBe(5);
    // The behaviour engine (step 3) profiles the platform's users from this trail.
    const profile = await runtime.behaviour.profile("ana");
    expect(profile).toMatchObject({ principal: `iam-user:${account}/ana`, events: 5 });
    const principals = (await runtime.behaviour.principals()).map((p) => p.principal);
    expect(principals).toEqual(expect.arrayContaining([`iam-user:${account}/ana`, `iam-user:${account}/staff-austin`]));
  });
});
