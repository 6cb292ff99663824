/**
 * Pins the reader of Redshift's managed master secret by the exact GetSecretValue request a mocked Secrets Manager
 * receives: the secret's JSON becomes { user, password }; it is reused for SECRET_CACHE_MS and read again after
 * (a rotated password reaches new connections); a failed read is not kept; a denied, missing or malformed secret
 * is a CatdataError that says what to do.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { ManagedSecret, SECRET_CACHE_MS } from "./managed-secret.js";

const ARN = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:redshift!cat-data-cluster-catdata_admin-AbCdEf";
const client = new SecretsManagerClient({ region: "ap-northeast-1" });
const sm = mockClient(client);
let clock = 0;
const secret = () => new ManagedSecret({ secretArn: ARN, client, now: () => clock });
const value = (username: string, password: string) => ({ SecretString: JSON.stringify({ username, password }) });

beforeEach(() => {
  sm.reset();
  clock = 1_000;
});

describe("ManagedSecret", () => {
  it("reads the secret with GetSecretValue and reuses it for SECRET_CACHE_MS, then reads it again", async () => {
    sm.on(GetSecretValueCommand)
      .resolvesOnce(value("catdata_admin", "first"))
      .resolves(value("catdata_admin", "rotated"));
    const s = secret();
    expect(await s.credentials()).toEqual({ user: "catdata_admin", password: "first" });
    clock += SECRET_CACHE_MS - 1;
    expect(await s.credentials()).toEqual({ user: "catdata_admin", password: "first" });
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    clock += 1;
    expect(await s.credentials()).toEqual({ user: "catdata_admin", password: "rotated" });
    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: ARN },
      { SecretId: ARN },
    ]);
    expect(SECRET_CACHE_MS).toBe(300_000);
  });

  it("does not keep a failed read, and says what to do when access is denied or the secret is missing", async () => {
    const denied = Object.assign(new Error("not authorized to perform secretsmanager:GetSecretValue"), {
      name: "AccessDeniedException",
    });
    sm.on(GetSecretValueCommand).rejectsOnce(denied).resolves(value("catdata_admin", "pw"));
    const s = secret();
    await expect(s.credentials()).rejects.toMatchObject({
      code: "FORBIDDEN",
      hint: expect.stringContaining("secretsmanager:GetSecretValue"),
    });
    expect(await s.credentials()).toEqual({ user: "catdata_admin", password: "pw" });

    sm.reset();
    sm.on(GetSecretValueCommand).rejects(
      Object.assign(new Error("no such secret"), { name: "ResourceNotFoundException" }),
    );
    await expect(secret().credentials()).rejects.toMatchObject({
      code: "CONFIG_INVALID",
      message: `the warehouse secret ${ARN} does not exist`,
    });
  });

  it("refuses a secret that is not username/password JSON, without echoing it", async () => {
    for (const SecretString of ["hunter2", JSON.stringify({ password: "hunter2" }), undefined]) {
      sm.reset();
      sm.on(GetSecretValueCommand).resolves({ SecretString });
      const error = await secret()
        .credentials()
        .catch((e: unknown) => e as Error);
      expect(error).toMatchObject({ code: "CONFIG_INVALID" });
      expect((error as Error).message).not.toContain("hunter2");
    }
  });
});
