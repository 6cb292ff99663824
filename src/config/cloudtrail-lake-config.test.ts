/**
 * Pins CATDATA_CLOUDTRAIL_LAKE and CATDATA_CLOUDTRAIL_LAKE_EVENT_DATA_STORE: off by default with no
 * default store; `on` turns it on; a store is an id (UUID) or an eventdatastore ARN; anything else
 * (a wrong switch value, a name, an ARN of another resource) fails naming the variable.
 */
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

const load = (env: Record<string, string>) => loadConfig(env, "/tmp");
const ID = "0233062b-51c6-4d18-8dec-a8c90da840d9";
const ARN = `arn:aws:cloudtrail:ap-northeast-1:123456789012:eventdatastore/${ID}`;

describe("CloudTrail Lake configuration", () => {
  it("is off by default, with no default event data store", () => {
    expect(load({}).cloudTrailLake).toEqual({ enabled: false, defaultEventDataStore: undefined });
  });

  it("turns on with CATDATA_CLOUDTRAIL_LAKE=on and takes a store id or ARN", () => {
    expect(load({ CATDATA_CLOUDTRAIL_LAKE: "on" }).cloudTrailLake.enabled).toBe(true);
    expect(load({ CATDATA_CLOUDTRAIL_LAKE: "off" }).cloudTrailLake.enabled).toBe(false);
    for (const store of [ID, ARN]) {
      expect(
        load({ CATDATA_CLOUDTRAIL_LAKE: "on", CATDATA_CLOUDTRAIL_LAKE_EVENT_DATA_STORE: store }).cloudTrailLake,
      ).toEqual({ enabled: true, defaultEventDataStore: store });
    }
  });

  it("refuses other values, naming the variable", () => {
    expect(() => load({ CATDATA_CLOUDTRAIL_LAKE: "true" })).toThrow(/CATDATA_CLOUDTRAIL_LAKE="true"/);
    for (const store of [
      "my-store",
      "arn:aws:s3:::bucket",
      `arn:aws:cloudtrail:ap-northeast-1:123:eventdatastore/${ID}`,
    ]) {
      expect(() => load({ CATDATA_CLOUDTRAIL_LAKE_EVENT_DATA_STORE: store }), store).toThrow(
        /CATDATA_CLOUDTRAIL_LAKE_EVENT_DATA_STORE=.*an event data store id/,
      );
    }
  });
});
