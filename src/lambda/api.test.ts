/**
 * Pins the `cat-data-api` Lambda entry, in process over the real app (DuckDB here, as AWS would
 * use Athena behind the same interface):
 * - a REST (v1) API Gateway proxy event for `GET /cats` at the stage root becomes a proxy result:
 *   status, JSON body, headers (the request id among them), not base64
 * - a request without a token is 401 with the error shape; a POST with a base64 body is decoded
 * - the caller's address is the event's `requestContext.identity.sourceIp` (the IP allow-list)
 * - the OpenAPI document names the stage as its base on an execute-api host
 * - a cold start without the AWS configuration fails naming every missing variable
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { LambdaEvent } from "hono/aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiDeps } from "../api/context.js";
import { ingestFile } from "../etl/ingest.js";
import { DataDir } from "../local/data-dir.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { createTestAuth } from "../testing/auth.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import { apiGatewayRestEvent } from "../testing/lambda-events.js";
import { apiHandler, lambdaDeps } from "./api.js";

const HEADER =
  "Animal ID,Name,DateTime,MonthYear,Found Location,Intake Type,Intake Condition,Animal Type,Sex upon Intake,Age upon Intake,Breed,Color";
let runtime: Runtime;
let deps: ApiDeps;
let token: string;

const restEvent = (...args: Parameters<typeof apiGatewayRestEvent>) =>
  apiGatewayRestEvent(...args) as unknown as LambdaEvent;

beforeAll(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
  const auth = await createTestAuth(new DataDir(runtime.config.dataDirectory));
  deps = { runtime, ...auth };
  const user = await auth.users.create({ username: "ana", password: "Correct-Horse-9", groups: ["analyst"] });
  token = (await auth.tokens.issue(user)).accessToken;
  const dir = tempDir();
  const rows = Array.from(
    { length: 3 },
    (_, i) => `A${i},N,01/0${i + 1}/2019 10:00:00 AM,x,L,Stray,Normal,Cat,F,1 year,DSH,Black`,
  );
  writeFileSync(path.join(dir, "austin.csv"), [HEADER, ...rows].join("\n"));
  await ingestFile(runtime, path.join(dir, "austin.csv"));
});
afterAll(async () => runtime.close());

describe("cat-data-api Lambda", () => {
  it("maps a REST proxy event for GET /cats to a proxy result", async () => {
    const handler = apiHandler(deps);
    const result = await handler(
      restEvent("GET", "/cats", { query: { limit: "2" }, headers: { Authorization: `Bearer ${token}` } }),
    );
    expect(result.statusCode).toBe(200);
    expect(result.isBase64Encoded).toBe(false);
    const headers = result as { headers?: Record<string, string>; multiValueHeaders?: Record<string, string[]> };
    const contentType = headers.headers?.["content-type"] ?? headers.multiValueHeaders?.["content-type"]?.[0];
    expect(contentType).toMatch(/application\/json/);
    const body = JSON.parse(result.body) as { items: { animalId: string }[]; nextCursor: string | null };
    expect(body.items.map((i) => i.animalId)).toEqual(["A0", "A1"]);
    expect(body.nextCursor).not.toBeNull();
  });

  it("refuses a request without a token, and decodes a base64 body", async () => {
    const handler = apiHandler(deps);
    const anonymous = await handler(restEvent("GET", "/cats"));
    expect(anonymous.statusCode).toBe(401);
    expect(JSON.parse(anonymous.body)).toMatchObject({
      error: { code: "UNAUTHENTICATED", requestId: expect.any(String) },
    });
    const query = await handler(
      restEvent("POST", "/queries", {
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ sql: "SELECT count(*)::INTEGER AS n FROM intakes" }),
      }),
    );
    expect(query.statusCode).toBe(200);
    expect(JSON.parse(query.body).rows).toEqual([{ n: 3 }]);
  });

  it("takes the caller's address from the event and names the stage in the OpenAPI document", async () => {
    const config = {
      ...runtime.config,
      protection: { ...runtime.config.protection, allowedIps: ["203.0.113.100/32"] },
    };
    const home = apiHandler({ ...deps, runtime: { ...runtime, config } });
    const doc = await home(restEvent("GET", "/openapi.json"));
    expect(doc.statusCode).toBe(200);
    expect(JSON.parse(doc.body).servers).toEqual([{ url: "/prod" }]);
    const elsewhere = {
      ...runtime.config,
      protection: { ...runtime.config.protection, allowedIps: ["198.51.100.0/24"] },
    };
    const refused = await apiHandler({ ...deps, runtime: { ...runtime, config: elsewhere } })(
      restEvent("GET", "/openapi.json"),
    );
    expect(refused.statusCode).toBe(403);
  });

  it("fails a cold start without the AWS configuration, naming what is missing", async () => {
    const error = await lambdaDeps({ CATDATA_STORE: "local" }).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(error).toMatchObject({ code: "CONFIG_INVALID" });
    for (const name of [
      "CATDATA_STORE=s3",
      "CATDATA_QUERY_ENGINE=athena",
      "CATDATA_USER_POOL_ID",
      "CATDATA_USER_POOL_CLIENT_ID",
    ]) {
      expect(error?.message).toContain(name);
    }
  });
});
