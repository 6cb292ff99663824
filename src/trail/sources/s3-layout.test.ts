/**
 * Pins the S3 layout helpers: `s3://` URLs become bucket + folder prefix (bad ones are rejected);
 * `--since` accepts only real dates; the date prefixes from `since` to today cover every day
 * exactly once with the fewest prefixes (days of the first month, months of the first year, whole
 * later years) and are empty for a future date; a key's date folder is read from its path.
 */
import { describe, expect, it } from "vitest";
import { dateOfKey, datePrefixes, isRegionPrefix, parseS3Url, parseSince } from "./s3-layout.js";

describe("S3 layout", () => {
  it("parses s3 URLs into a bucket and a folder prefix", () => {
    expect(parseS3Url("s3://logs")).toEqual({ bucket: "logs", prefix: "" });
    expect(parseS3Url("s3://logs/")).toEqual({ bucket: "logs", prefix: "" });
    expect(parseS3Url("s3://logs/AWSLogs/1")).toEqual({ bucket: "logs", prefix: "AWSLogs/1/" });
    expect(() => parseS3Url("https://logs/x")).toThrow(/not an S3 URL/);
  });

  it("accepts only real dates for since", () => {
    expect(parseSince("2024-02-29")).toBe("2024-02-29");
    expect(() => parseSince("2023-02-29")).toThrow(/YYYY-MM-DD/);
    expect(() => parseSince("yesterday")).toThrow(/YYYY-MM-DD/);
  });

  it("covers since..today with day, month and year prefixes", () => {
    const today = new Date("2025-02-03T23:59:00Z");
    expect(datePrefixes("2023-12-30", today)).toEqual(["2023/12/30/", "2023/12/31/", "2024/", "2025/"]);
    expect(datePrefixes("2024-11-29", today)).toEqual(["2024/11/29/", "2024/11/30/", "2024/12/", "2025/"]);
    expect(datePrefixes("2025-01-31", today)).toEqual(["2025/01/31/", "2025/02/"]);
    expect(datePrefixes("2025-02-02", today)).toEqual(["2025/02/02/", "2025/02/03/"]);
    expect(datePrefixes("2025-02-04", today)).toEqual([]);
    expect(datePrefixes("2024-02-28", new Date("2024-03-01T00:00:00Z"))).toEqual([
      "2024/02/28/",
      "2024/02/29/",
      "2024/03/",
    ]);
  });

  it("reads the date folder of a key and recognises region folders", () => {
    expect(dateOfKey("AWSLogs/1/CloudTrail/us-east-1/2018/11/28/f.json.gz")).toBe("2018-11-28");
    expect(dateOfKey("exports/f.json")).toBeUndefined();
    expect(isRegionPrefix("AWSLogs/1/CloudTrail-Digest/us-east-1/")).toBe(true);
    expect(isRegionPrefix("AWSLogs/1/CloudTrail/")).toBe(false);
  });
});
