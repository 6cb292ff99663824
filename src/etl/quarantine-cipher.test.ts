/**
 * Pins the quarantine's row sealing: a sealed row opens only as the same job's row at the same
 * position under the same master key; the sealed text holds nothing of the row in clear; a plain
 * JSON line (written before encryption) is read as is.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { QuarantineCipher } from "./quarantine-cipher.js";

const ROW = JSON.stringify({ row: 3, reason: "negative age", values: { Name: "Mike-77" } });

describe("QuarantineCipher", () => {
  it("opens a row only for its job, its position and its key", () => {
    const key = randomBytes(32);
    const sealed = new QuarantineCipher(key).forJob("job-a").seal(ROW, 0);
    expect(sealed).not.toContain("Mike-77");
    expect(Buffer.from(sealed, "base64").includes("Mike-77")).toBe(false);
    expect(new QuarantineCipher(key).forJob("job-a").open(sealed, 0)).toBe(ROW);
    expect(() => new QuarantineCipher(key).forJob("job-a").open(sealed, 1)).toThrow(/row 2 of job job-a/);
    expect(() => new QuarantineCipher(key).forJob("job-b").open(sealed, 0)).toThrow(/cannot be decrypted/);
    expect(() => new QuarantineCipher(randomBytes(32)).forJob("job-a").open(sealed, 0)).toThrow(/master key/);
  });

  it("seals the same row differently each time and reads plain JSON lines as they are", () => {
    const job = new QuarantineCipher(randomBytes(32)).forJob("job-a");
    expect(job.seal(ROW, 0)).not.toBe(job.seal(ROW, 0));
    expect(job.open(ROW, 5)).toBe(ROW);
  });
});
