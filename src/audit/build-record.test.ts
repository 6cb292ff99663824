/**
 * Pins the record builder (pure):
 * - a signed-in read: CloudTrail fields, IAMUser identity with the catdata ARN, readOnly, no
 *   responseElements, eventTime to the second, query and path parameters as requestParameters
 * - a write: readOnly false, a small responseElements summary with tokens hidden
 * - 401 / 403 / 500: errorCode mapped to the AWS-style code, errorMessage kept, anonymous caller
 *   recorded as { type: "Unknown" }; secrets in the body (password, token, apiKey…) redacted
 * - eventName from the route table, through a mount prefix, with a generic fallback and
 *   UnknownOperation for unmatched requests
 * - every shape reads back through the trail reader's normaliseRecord without problems, the user
 *   as principal `iam-user:<account>/<username>`
 */
import { describe, expect, it } from "vitest";
import { normaliseRecord } from "../trail/parse/normalise.js";
import { buildRecord } from "./build-record.js";
import { eventNameFor } from "./event-names.js";
import { type ApiCall, HIDDEN, type RecordSettings } from "./record.js";

const settings: RecordSettings = {
  eventSource: "catdata.local",
  region: "ap-northeast-1",
  accountId: "123456789012",
  newId: () => "00000000-0000-4000-8000-000000000001",
};
const call = (over: Partial<ApiCall>): ApiCall => ({
  time: new Date("2024-05-01T10:00:00.789Z"),
  method: "GET",
  routePattern: "/cats",
  path: "/cats",
  status: 200,
  query: {},
  params: {},
  body: undefined,
  response: undefined,
  error: undefined,
  requestId: "req-1",
  sourceIp: "198.51.100.7",
  userAgent: "curl/8.5.0",
  user: { sub: "sub-ana", username: "ana" },
  tls: undefined,
  ...over,
});

describe("buildRecord", () => {
  it("records a signed-in read as a CloudTrail management event", () => {
    const record = buildRecord(call({ query: { municipality: "131041", limit: "10" } }), settings);
    expect(record).toEqual({
      eventVersion: "1.09",
      userIdentity: {
        type: "IAMUser",
        principalId: "sub-ana",
        arn: "arn:aws:iam::123456789012:user/catdata/ana",
        accountId: "123456789012",
        userName: "ana",
      },
      eventTime: "2024-05-01T10:00:00Z",
      eventSource: "catdata.local",
      eventName: "GetCats",
      awsRegion: "ap-northeast-1",
      sourceIPAddress: "198.51.100.7",
      userAgent: "curl/8.5.0",
      requestParameters: { municipality: "131041", limit: "10" },
      responseElements: null,
      requestID: "req-1",
      eventID: "00000000-0000-4000-8000-000000000001",
      readOnly: true,
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: "123456789012",
      eventCategory: "Management",
    });
  });

  it("summarises a write's response, hiding tokens", () => {
    const record = buildRecord(
      call({
        method: "POST",
        routePattern: "/uploads/:id/retry",
        path: "/uploads/u1/retry",
        params: { id: "u1" },
        body: { note: "again" },
        response: { jobId: "j1", status: "queued", rows: [1, 2], uploadToken: "t0k3n" },
        tls: { tlsVersion: "TLSv1.3", cipherSuite: "TLS_AES_128_GCM_SHA256", clientProvidedHostHeader: "x" },
      }),
      settings,
    );
    expect(record).toMatchObject({
      eventName: "CreateUploadsRetry",
      readOnly: false,
      requestParameters: { id: "u1", note: "again" },
      responseElements: { jobId: "j1", status: "queued", uploadToken: HIDDEN },
      tlsDetails: { tlsVersion: "TLSv1.3" },
    });
    expect(record.errorCode).toBeUndefined();
  });

  it.each([
    [401, "UNAUTHENTICATED", "NotAuthorizedException"],
    [403, "FORBIDDEN", "AccessDenied"],
    [500, "INTERNAL", "InternalFailure"],
  ])("records a %i (%s) as %s with its message, secrets redacted", (status, code, awsCode) => {
    const record = buildRecord(
      call({
        method: "POST",
        routePattern: "/auth/login",
        path: "/auth/login",
        status,
        user: status === 403 ? { sub: "sub-ana", username: "ana" } : undefined,
        body: { username: "ana", password: "Correct-Horse-9", nested: { refreshToken: "r", apiKey: "k" } },
        error: { code, message: "no" },
      }),
      settings,
    );
    expect(record).toMatchObject({
      eventName: "Login",
      errorCode: awsCode,
      errorMessage: "no",
      responseElements: null,
      requestParameters: { username: "ana", password: HIDDEN, nested: { refreshToken: HIDDEN, apiKey: HIDDEN } },
    });
    expect(record.userIdentity.type).toBe(status === 403 ? "IAMUser" : "Unknown");
    expect(JSON.stringify(record)).not.toMatch(/Correct-Horse|"r"|"k"/);
  });

  it("names operations from the route table, through mounts, with fallbacks", () => {
    expect(eventNameFor("GET", "/cats/stats")).toBe("GetCatsStats");
    expect(eventNameFor("GET", "/api/municipalities")).toBe("ListMunicipalities");
    expect(eventNameFor("GET", "/api/uploads/:uploadId", "/api")).toBe("GetUpload");
    expect(eventNameFor("POST", "/users/:username/disable")).toBe("DisableUser");
    expect(eventNameFor("GET", "/api/queries/saved/:name/versions", "/api")).toBe("ListSavedQueryVersions");
    expect(eventNameFor("GET", "/api/queries/saved/:name/versions/:version", "/api")).toBe("GetSavedQueryVersion");
    expect(eventNameFor("POST", "/mcp")).toBe("McpRequest");
    expect(eventNameFor("DELETE", "/widgets/:id")).toBe("DeleteWidgets");
    expect(eventNameFor("GET", undefined)).toBe("UnknownOperation");
    const unmatched = buildRecord(call({ routePattern: undefined, path: "/etc/passwd", status: 404 }), settings);
    expect(unmatched).toMatchObject({
      errorCode: "ResourceNotFoundException",
      requestParameters: { path: "/etc/passwd" },
    });
  });

  it("reads back through the trail reader without problems", () => {
    const cases: [Partial<ApiCall>, string][] = [
      [{}, "iam-user:123456789012/ana"],
      [{ user: undefined, status: 401, error: { code: "UNAUTHENTICATED", message: "x" } }, "anonymous"],
    ];
    for (const [over, principal] of cases) {
      const event = normaliseRecord(buildRecord(call(over), settings), { file: "f", index: 0 });
      expect(event.parseProblems).toEqual([]);
      expect(event.principal).toBe(principal);
      expect(event).toMatchObject({ eventKey: "catdata.local:GetCats", sourceIpValid: true, readOnly: true });
    }
  });
});
