/**
 * Pins what the trail hides and what it keeps:
 * - object keys investigators need stay: an upload's S3 `key` (request and response), `s3Key`,
 *   `objectKey`, `uploadKey`, at any depth
 * - secrets stay hidden: passwords, tokens, authorization, cookies, credentials and keys that are
 *   secrets (secretAccessKey, apiKey, privateKey, x-api-key), at any depth
 */
import { describe, expect, it } from "vitest";
import { HIDDEN } from "./record.js";
import { isSecretField, redactParameters, summariseResponse } from "./redact.js";

describe("audit redaction", () => {
  it("keeps object keys in requestParameters and responseElements", () => {
    const key = "raw/131041/2026-12-03/intakes.csv";
    expect(summariseResponse({ jobId: "j1", status: "queued", key, versionId: "v1", bytes: 152_000_000 })).toEqual({
      jobId: "j1",
      status: "queued",
      key,
      versionId: "v1",
      bytes: 152_000_000,
    });
    expect(redactParameters({ key }, { nested: { s3Key: key, objectKey: key, upload_key: key, keys: [key] } })).toEqual(
      { key, nested: { s3Key: key, objectKey: key, upload_key: key, keys: [key] } },
    );
  });

  it("hides secrets, keys that are secrets included", () => {
    const hidden = redactParameters({
      password: "p",
      newPassword: "p",
      idToken: "t",
      refreshToken: "t",
      authorization: "Bearer x",
      cookie: "sid=1",
      credentials: { a: 1 },
      secretAccessKey: "s",
      apiKey: "a",
      privateKey: "-----BEGIN",
      "x-api-key": "k",
      nested: { deeper: { accessKeyId: "AKIA", sessionToken: "t" } },
    });
    expect(hidden).toEqual({
      password: HIDDEN,
      newPassword: HIDDEN,
      idToken: HIDDEN,
      refreshToken: HIDDEN,
      authorization: HIDDEN,
      cookie: HIDDEN,
      credentials: HIDDEN,
      secretAccessKey: HIDDEN,
      apiKey: HIDDEN,
      privateKey: HIDDEN,
      "x-api-key": HIDDEN,
      nested: { deeper: { accessKeyId: HIDDEN, sessionToken: HIDDEN } },
    });
    expect(summariseResponse({ key: "raw/x.csv", apiKey: "a", idToken: "t" })).toEqual({
      key: "raw/x.csv",
      apiKey: HIDDEN,
      idToken: HIDDEN,
    });
    expect(["key", "s3Key", "objectKey"].map(isSecretField)).toEqual([false, false, false]);
    expect(["signingKey", "masterKey", "secretKey"].map(isSecretField)).toEqual([true, true, true]);
  });
});
