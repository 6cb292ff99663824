/**
 * Pins principal derivation: one stable id per actor for every identity type, on real records
 * (invictus' bert-jan, flaws2's anonymous AWSAccount, AWS services and AssumedRole sessions,
 * Panther's records without userIdentity) and on the documented shapes the samples lack.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readTrailFolder } from "../sources/read-files.js";
import { isObject } from "./fields.js";
import { derivePrincipal } from "./principal.js";

const cloudtrail = path.join(process.env.CATDATA_SAMPLES_DIR ?? path.resolve("../shared/data"), "cloudtrail");

async function recordsOf(dataset: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const file of readTrailFolder(path.join(cloudtrail, dataset))) out.push(...file.records);
  return out;
}

describe.skipIf(!existsSync(cloudtrail))("principal on real records", () => {
  let invictus: unknown[] = [];
  let flaws2: unknown[] = [];
  let panther: unknown[] = [];
  beforeAll(async () => {
    [invictus, flaws2, panther] = await Promise.all([
      recordsOf("invictus-aws-dataset"),
      recordsOf("flaws2"),
      recordsOf("panther-test-events"),
    ]);
  });
  const count = (records: unknown[], principal: string) =>
    records.filter((r) => derivePrincipal(r).principal === principal).length;

  it("names invictus' IAM users by account (from the record) and user name", () => {
    expect(count(invictus, "iam-user:123837392027/bert-jan")).toBe(2642);
    expect(count(invictus, "iam-user:123837392027/benjamin")).toBe(105);
    expect(count(invictus, "iam-user:218007301253/bert-jan")).toBe(0);
  });

  it("reads identities without a type but with invokedBy as AWS services", () => {
    const untyped = invictus.filter((r) => isObject(r) && isObject(r.userIdentity) && !("type" in r.userIdentity));
    expect(untyped.length).toBe(42);
    const principals = new Set(untyped.map((r) => derivePrincipal(r).principal));
    expect(principals).toEqual(new Set(["service:secretsmanager.amazonaws.com", "service:ec2.amazonaws.com"]));
  });

  it("makes flaws2's AWSAccount identity without ARN (ANONYMOUS_PRINCIPAL) anonymous", () => {
    expect(count(flaws2, "anonymous")).toBe(22);
    const one = flaws2.find((r) => derivePrincipal(r).principal === "anonymous");
    expect(derivePrincipal(one).principalType).toBe("AWSAccount");
  });

  it("gives flaws2's services and role sessions their ids", () => {
    expect(count(flaws2, "service:apigateway.amazonaws.com")).toBe(2);
    expect(count(flaws2, "service:ecs-tasks.amazonaws.com")).toBe(2);
    const level1 = flaws2.map(derivePrincipal).filter((p) => p.principal === "role:653711331788/level1");
    expect(level1.length).toBe(9);
    expect(new Set(level1.map((p) => p.sessionName))).toEqual(new Set(["level1"]));
    const level3 = flaws2.map(derivePrincipal).find((p) => p.principal === "role:653711331788/level3");
    expect(level3?.sessionName).toBe("d190d14a-2404-45d6-9113-4eda22d7f2c7");
  });

  it("makes records without userIdentity anonymous and says so", () => {
    const missing = panther.filter((r) => isObject(r) && r.userIdentity === undefined);
    expect(missing.length).toBeGreaterThan(0);
    for (const record of missing) {
      const p = derivePrincipal(record);
      expect(p.principal).toBe("anonymous");
      expect(p.principalType).toBe("None");
      expect(p.problems).toContain("userIdentity missing");
    }
  });
});

describe("principal on documented identity shapes", () => {
  const of = (userIdentity: unknown, extra: object = {}) => derivePrincipal({ userIdentity, ...extra });

  it("root, federated user, Identity Center user", () => {
    expect(of({ type: "Root", arn: "arn:aws:iam::111122223333:root", accountId: "111122223333" })).toMatchObject({
      principal: "root:111122223333",
      userName: "root",
    });
    const federated = of({ type: "FederatedUser", arn: "arn:aws:sts::742491224508:federated-user/stratus_red_team" });
    expect(federated.principal).toBe("federated:742491224508/stratus_red_team");
    const center = of({
      type: "IdentityCenterUser",
      accountId: "111122223333",
      onBehalfOf: {
        userId: "544894e8-80c1",
        identityStoreArn: "arn:aws:identitystore::111122223333:identitystore/d-9067642ac7",
      },
    });
    expect(center.principal).toBe("identity-center:d-9067642ac7/544894e8-80c1");
  });

  it("another account by id, a role from its session issuer, an Unknown type from its ARN", () => {
    expect(
      of({ type: "AWSAccount", accountId: "222222222222", principalId: "AROAEXAMPLE:session-name" }),
    ).toMatchObject({
      principal: "account:222222222222",
      sessionName: "session-name",
    });
    const issuer = of({
      type: "AssumedRole",
      principalId: "AROAX:worker",
      accountId: "123",
      sessionContext: {
        sessionIssuer: { type: "Role", arn: "arn:aws:iam::123:role/path/deployer", userName: "deployer" },
      },
    });
    expect(issuer).toMatchObject({ principal: "role:123/deployer", sessionName: "worker" });
    const unknown = of({
      type: "Unknown",
      arn: "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_1b74/Adan",
    });
    expect(unknown).toMatchObject({ principal: "role:111111111111/AWSReservedSSO_Admin_1b74", sessionName: "Adan" });
  });

  it("uses the event source for AWS Internal, and never throws on junk", () => {
    expect(of({ accountId: "1", invokedBy: "AWS Internal" }, { eventSource: "kms.amazonaws.com" }).principal).toBe(
      "service:kms.amazonaws.com",
    );
    expect(of("not an object").problems).toEqual(["userIdentity is not an object"]);
    expect(derivePrincipal(null).principal).toBe("anonymous");
    expect(of({ type: "IAMUser", userName: "some_user" }).principal).toBe("iam-user:unknown/some_user");
  });
});
