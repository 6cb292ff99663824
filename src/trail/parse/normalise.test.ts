/**
 * Pins record → TrailEvent: ids (eventID or a stable hash), times (ISO, non-ISO read as UTC,
 * `@timestamp`, `p_event_time`, junk → null with a reason), account from the record, fake regions
 * and non-IP source addresses kept, readOnly inferred from the name, Insights marked (named after the API in insightDetails), and junk
 * records still becoming rows with their problems listed.
 */
import { describe, expect, it } from "vitest";
import { normaliseRecord } from "./normalise.js";

const src = { file: "f.json", index: 3 };
const base = {
  eventVersion: "1.08",
  eventID: "e-1",
  eventTime: "2023-07-10T11:42:18Z",
  eventSource: "s3.amazonaws.com",
  eventName: "ListBuckets",
  awsRegion: "eu-west-2r",
  sourceIPAddress: "203.0.113.7",
  userAgent: "aws-cli/2.13.0 Python/3.11.4",
  recipientAccountId: "123837392027",
  userIdentity: { type: "IAMUser", userName: "bert-jan", accountId: "123837392027", accessKeyId: "AKIAX" },
};

describe("normaliseRecord", () => {
  it("flattens a clean record with no problems", () => {
    const e = normaliseRecord(base, src);
    expect(e).toMatchObject({
      eventId: "e-1",
      eventTime: "2023-07-10T11:42:18.000Z",
      eventKey: "s3.amazonaws.com:ListBuckets",
      principal: "iam-user:123837392027/bert-jan",
      userName: "bert-jan",
      accessKeyId: "AKIAX",
      accountId: "123837392027",
      region: "eu-west-2r",
      sourceIp: "203.0.113.7",
      sourceIpValid: true,
      userAgentFamily: "cli",
      readOnly: true,
      isInsight: false,
      sourceFile: "f.json",
      recordIndex: 3,
      parseProblems: [],
    });
    expect(JSON.parse(e.raw)).toEqual(base);
  });

  it("derives a stable id from the record when eventID is missing", () => {
    const { eventID: _, ...noId } = base;
    const a = normaliseRecord(noId, src);
    const b = normaliseRecord({ ...noId }, { file: "other.json", index: 0 });
    expect(a.eventId).toMatch(/^raw-[0-9a-f]{32}$/);
    expect(b.eventId).toBe(a.eventId);
    expect(normaliseRecord({ ...noId, eventName: "GetObject" }, src).eventId).not.toBe(a.eventId);
    expect(a.parseProblems).toContain("eventID missing; id derived from the record's hash");
  });

  it("reads non-ISO times as UTC and says so", () => {
    const cases: [unknown, string][] = [
      ["2021-06-04 09:59:53.650807", "2021-06-04T09:59:53.650Z"],
      ["2021-05-20 15:53:47Z", "2021-05-20T15:53:47.000Z"],
      ["2021-05-20T17:53:47+02:00", "2021-05-20T15:53:47.000Z"],
      [1_688_989_338, "2023-07-10T11:42:18.000Z"],
    ];
    for (const [eventTime, iso] of cases) {
      const e = normaliseRecord({ ...base, eventTime }, src);
      expect(e.eventTime).toBe(iso);
      expect(e.parseProblems.join()).toMatch(/^eventTime not ISO 8601, read as UTC: /);
    }
  });

  it("falls back on @timestamp (Logstash) and p_event_time (Panther); rejects junk times", () => {
    const { eventTime: _, ...noTime } = base;
    const otrf = normaliseRecord({ ...noTime, "@timestamp": "2020-09-14T00:44:23.000Z" }, src);
    expect(otrf.eventTime).toBe("2020-09-14T00:44:23.000Z");
    expect(otrf.parseProblems).toEqual(["eventTime missing; taken from @timestamp"]);
    expect(normaliseRecord({ ...noTime, p_event_time: "2021-08-31 15:46:02.000000000" }, src).eventTime).toBe(
      "2021-08-31T15:46:02.000Z",
    );
    const redacted = normaliseRecord({ ...base, eventTime: "redacted" }, src);
    expect(redacted.eventTime).toBeNull();
    expect(redacted.parseProblems).toEqual(['eventTime is not a time: "redacted"']);
    expect(normaliseRecord({ ...base, eventTime: "2023-02-30T00:00:00Z" }, src).eventTime).toBeNull();
    expect(normaliseRecord(noTime, src).parseProblems).toEqual(["eventTime missing"]);
  });

  it("keeps odd source addresses, infers readOnly only for read prefixes, and marks Insights", () => {
    const odd = normaliseRecord({ ...base, sourceIPAddress: "AWS Internal" }, src);
    expect(odd).toMatchObject({ sourceIp: "AWS Internal", sourceIpValid: false });
    expect(normaliseRecord({ ...base, sourceIPAddress: "2001:db8::1" }, src).sourceIpValid).toBe(true);
    expect(normaliseRecord({ ...base, eventName: "DescribeInstances" }, src).readOnly).toBe(true);
    expect(normaliseRecord({ ...base, eventName: "Headless" }, src).readOnly).toBeNull();
    expect(normaliseRecord({ ...base, eventName: "CreateUser" }, src).readOnly).toBeNull();
    expect(normaliseRecord({ ...base, eventName: "GetObject", readOnly: false }, src).readOnly).toBe(false);
    expect(normaliseRecord({ ...base, readOnly: "false" }, src).readOnly).toBe(false);
    const insight = {
      eventVersion: "1.07",
      eventID: "i-1",
      eventTime: "2019-11-14T00:51:00Z",
      eventType: "AwsCloudTrailInsight",
      eventCategory: "Insight",
      insightDetails: { state: "Start", eventSource: "ssm.amazonaws.com", eventName: "UpdateInstanceInformation" },
    };
    expect(normaliseRecord(insight, src)).toMatchObject({
      isInsight: true,
      eventKey: "ssm.amazonaws.com:UpdateInstanceInformation",
      principal: "service:cloudtrail.amazonaws.com",
      principalType: "Insight",
      parseProblems: [],
    });
  });

  it("takes the account from recipientAccountId, then userIdentity, and keeps resources", () => {
    const { recipientAccountId: _, ...noRecipient } = base;
    expect(normaliseRecord(noRecipient, src).accountId).toBe("123837392027");
    const withResources = normaliseRecord(
      { ...base, resources: [{ type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::b" }, "junk", { accountId: "1" }] },
      src,
    );
    expect(withResources.resources).toEqual([
      { type: "AWS::S3::Bucket", arn: "arn:aws:s3:::b" },
      { type: null, arn: null },
    ]);
  });

  it("turns anything into a row with its problems", () => {
    const scalar = normaliseRecord(42, src);
    expect(scalar).toMatchObject({ principal: "anonymous", eventName: null, eventKey: "unknown:unknown", raw: "42" });
    expect(scalar.parseProblems).toContain("record is not a JSON object (number)");
    const foreign = normaliseRecord({ hello: "world" }, src);
    expect(foreign.parseProblems[0]).toMatch(/no CloudTrail fields/);
    expect(normaliseRecord({ ...base, eventName: 7, eventSource: ["x"] }, src)).toMatchObject({
      eventName: "7",
      eventSource: null,
    });
  });

  it("replaces lone UTF-16 surrogates, which no lake can store, and says so", () => {
    const record = JSON.parse('{"eventID":"s-1","eventName":"List\\ud800Buckets","userAgent":"ok \\ud83d\\ude00"}');
    const e = normaliseRecord(record, src);
    expect(e.eventName).toBe("List\ufffdBuckets");
    expect(e.eventKey).toBe("unknown:List\ufffdBuckets");
    expect(e.userAgent).toBe("ok \u{1f600}");
    expect(e.parseProblems).toContain("invalid unicode (lone surrogate) in eventName, eventKey: replaced with U+FFFD");
    expect(JSON.parse(e.raw)).toEqual(record);
  });
});
