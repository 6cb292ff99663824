/**
 * Pins the deployment configuration: the design's defaults (but ra3.large: AWS no longer creates dc2), parsing of CDK
 * context strings, and the refusals (world-open CIDRs, Redshift Multi-AZ on this network, a node count the node type
 * does not allow, bad names and e-mail addresses) that must fail before any stack is built; the deployment environment
 * (ap-northeast-1 unless `-c region=`, whatever the CLI's default region is; no account unless `-c account=`) and the
 * Lambda architecture (arm64 unless `-c lambdaArchitecture=x86_64`).
 */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_CONFIG,
  deploymentEnv,
  InfraConfigError,
  resolveConfig,
  WAREHOUSE_NODE_RANGES,
  WAREHOUSE_NODE_TYPES,
} from "../lib/config.js";

describe("resolveConfig", () => {
  it("defaults to the design documents' values", () => {
    const c = resolveConfig();
    expect(c.homeCidr).toBe("203.0.113.100/32");
    expect(c.adminCidr).toBe("203.0.113.100/32");
    expect(c.withWarehouse).toBe(true);
    expect(c.warehouseNodeType).toBe("ra3.large");
    expect(c.warehouseNodeCount).toBe(2);
    expect(c.warehouseMultiAz).toBe(false);
    expect(c.withConfigRecorder).toBe(false);
    expect(c).toEqual(DEFAULT_CONFIG);
  });

  it("parses the strings CDK context gives (-c key=value)", () => {
    const c = resolveConfig({
      homeCidr: "198.51.100.7/32",
      withWarehouse: "false",
      warehouseNodeCount: "4",
      availabilityZones: "ap-northeast-1a, ap-northeast-1c",
    });
    expect(c.homeCidr).toBe("198.51.100.7/32");
    expect(c.withWarehouse).toBe(false);
    expect(c.warehouseNodeCount).toBe(4);
    expect(c.availabilityZones).toEqual(["ap-northeast-1a", "ap-northeast-1c"]);
  });

  it("keeps Redshift single-AZ and says which Multi-AZ condition fails when it is asked for", () => {
    expect(resolveConfig({ warehouseNodeType: "ra3.xlplus" }).warehouseMultiAz).toBe(false);
    expect(resolveConfig({ warehouseMultiAz: "false" }).warehouseMultiAz).toBe(false);
    expect(() => resolveConfig({ warehouseMultiAz: "true", warehouseNodeType: "dc2.large" })).toThrow(
      /"warehouseMultiAz".*needs an RA3 node type \(ra3\.large, ra3\.xlplus, ra3\.4xlarge, ra3\.16xlarge\), not dc2\.large/,
    );
    expect(() => resolveConfig({ warehouseMultiAz: "true", warehouseNodeCount: "1" })).toThrow(
      /"warehouseMultiAz".*2 or more nodes per AZ, got 1/,
    );
    expect(() => resolveConfig({ warehouseMultiAz: "true" })).toThrow(
      /"warehouseMultiAz".*subnet group over 3 AZs and catdata's network has 2/,
    );
  });

  it("refuses a node count the node type cannot be created with, naming the range", () => {
    expect(resolveConfig({ warehouseNodeCount: "1" }).warehouseNodeCount).toBe(1);
    expect(resolveConfig({ warehouseNodeCount: "16" }).warehouseNodeCount).toBe(16);
    expect(() => resolveConfig({ warehouseNodeCount: "17" })).toThrow(
      /"warehouseNodeCount": ra3\.large takes 1–16 nodes.*got "17"/,
    );
    expect(() => resolveConfig({ warehouseNodeType: "ra3.4xlarge", warehouseNodeCount: "1" })).toThrow(
      /ra3\.4xlarge takes 2–32 nodes/,
    );
    expect(resolveConfig({ warehouseNodeType: "ra3.16xlarge", warehouseNodeCount: "128" }).warehouseNodeCount).toBe(
      128,
    );
    expect(() => resolveConfig({ warehouseNodeCount: "two" })).toThrow(/"warehouseNodeCount"/);
    for (const type of WAREHOUSE_NODE_TYPES) {
      const { min, max } = WAREHOUSE_NODE_RANGES[type];
      expect(resolveConfig({ warehouseNodeType: type, warehouseNodeCount: String(max) }).warehouseNodeCount).toBe(max);
      expect(() => resolveConfig({ warehouseNodeType: type, warehouseNodeCount: String(max + 1) })).toThrow(type);
      expect(() => resolveConfig({ warehouseNodeType: type, warehouseNodeCount: String(min - 1) })).toThrow(type);
    }
  });

  it("takes an alarm e-mail address and refuses something that is not one", () => {
    expect(resolveConfig({ alarmEmail: "ops@example.org" }).alarmEmail).toBe("ops@example.org");
    expect(() => resolveConfig({ alarmEmail: "ops-at-example" })).toThrow(/"alarmEmail".*e-mail address/);
  });

  it("refuses a CIDR open to the world or malformed, naming the key", () => {
    expect(() => resolveConfig({ homeCidr: "0.0.0.0/0" })).toThrow(InfraConfigError);
    expect(() => resolveConfig({ adminCidr: "300.1.1.1/32" })).toThrow(/"adminCidr"/);
  });

  it("refuses unknown node types, bad bucket names, odd retentions and half a CDN certificate", () => {
    expect(() => resolveConfig({ warehouseNodeType: "dc1.large" })).toThrow(/warehouseNodeType/);
    expect(() => resolveConfig({ bucketName: "Cat_Data" })).toThrow(/bucketName/);
    expect(() => resolveConfig({ logRetentionDays: "42" })).toThrow(/logRetentionDays/);
    expect(() => resolveConfig({ cdnDomainName: "cats.example.org" })).toThrow(/together/);
    expect(() =>
      resolveConfig({ cdnDomainName: "cats.example.org", cdnCertificateArn: "arn:aws:acm:eu-west-1:1:certificate/x" }),
    ).toThrow(/us-east-1/);
  });

  it("synthesises for ap-northeast-1 and no account unless context names them", () => {
    const previous = process.env.CDK_DEFAULT_REGION;
    // What the CDK CLI exports on a machine without an AWS profile: it must not leak into the templates.
    process.env.CDK_DEFAULT_REGION = "us-east-1";
    try {
      expect(deploymentEnv(resolveConfig())).toEqual({ region: "ap-northeast-1" });
    } finally {
      if (previous === undefined) delete process.env.CDK_DEFAULT_REGION;
      else process.env.CDK_DEFAULT_REGION = previous;
    }
    expect(deploymentEnv(resolveConfig({ region: "eu-west-1", account: "123456789012" }))).toEqual({
      account: "123456789012",
      region: "eu-west-1",
    });
    expect(() => resolveConfig({ region: "tokyo" })).toThrow(/"region"/);
    expect(() => resolveConfig({ account: "12345" })).toThrow(/"account".*12-digit/);
  });

  it("runs the Lambdas on arm64 unless x86_64 is asked for, and refuses other architectures", () => {
    expect(resolveConfig().lambdaArchitecture).toBe("arm64");
    expect(resolveConfig({ lambdaArchitecture: "x86_64" }).lambdaArchitecture).toBe("x86_64");
    expect(() => resolveConfig({ lambdaArchitecture: "x64" })).toThrow(/"lambdaArchitecture".*arm64, x86_64/);
  });
});
