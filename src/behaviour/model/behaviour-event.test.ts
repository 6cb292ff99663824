/**
 * Pins which `sourceIPAddress` values are AWS services rather than addresses: a service's DNS name
 * (also in China regions) and `AWS Internal` are services; addresses — including anonymised ones no
 * parser accepts, and other host names — are not.
 */
import { describe, expect, it } from "vitest";
import { isIpSource, isServiceSource } from "./behaviour-event.js";

describe("service sources", () => {
  it("are AWS service names and AWS Internal, never addresses", () => {
    for (const value of [
      "secretsmanager.amazonaws.com",
      "AWS Internal",
      "ec2.cn-north-1.amazonaws.com.cn",
      "S3.AMAZONAWS.COM",
    ])
      expect([value, isServiceSource(value), isIpSource(value)]).toEqual([value, true, false]);
    for (const value of ["104.102.221.250", "035.249.253.232", "2001:db8::1", "evil.amazonaws.com.attacker.net"])
      expect([value, isServiceSource(value), isIpSource(value)]).toEqual([value, false, true]);
    expect(isIpSource(null)).toBe(false);
  });
});
