/**
 * Pins the deployment configuration: the design's defaults, parsing of CDK context strings, and the refusals
 * (world-open CIDRs, Multi-AZ on dc2, bad names) that must fail before any stack is built.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, InfraConfigError, resolveConfig } from "../lib/config.js";

describe("resolveConfig", () => {
  it("defaults to the design documents' values", () => {
    const c = resolveConfig();
    expect(c.homeCidr).toBe("203.0.113.100/32");
    expect(c.adminCidr).toBe("203.0.113.100/32");
    expect(c.withWarehouse).toBe(true);
    expect(c.warehouseNodeType).toBe("dc2.large");
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

  it("turns Redshift Multi-AZ on by default for RA3 and refuses it for dc2", () => {
    expect(resolveConfig({ warehouseNodeType: "ra3.large" }).warehouseMultiAz).toBe(true);
    expect(() => resolveConfig({ warehouseMultiAz: "true" })).toThrow(/needs an RA3 node type/);
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
});
