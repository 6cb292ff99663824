/**
 * Pins the request-body helpers of the WAF role, without HTTP:
 * - the multipart reader yields the fields before the file and the file's exact bytes, whatever
 *   the chunk boundaries (a delimiter split across chunks included)
 * - it refuses a body with no file part, a second part after the file, and a truncated body
 * - upload names: `../`, absolute paths, drive letters, backslashes, NUL and control characters are
 *   refused; what is kept is a safe basename
 * - token buckets: a burst is allowed, the next request waits the refill time, tokens come back
 */
import type { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readMultipartUpload } from "./multipart-file.js";
import { TokenBuckets } from "./rate-limit.js";
import { safeUploadName } from "./upload-name.js";

const B = "xYz-boundary";
const body = (parts: string[]) => `${parts.map((p) => `--${B}\r\n${p}\r\n`).join("")}--${B}--\r\n`;
const field = (name: string, value: string) => `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`;
const file = (content: string, filename = "a.csv") =>
  `Content-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n${content}`;

function chunked(text: string, size: number): ReadableStream<Uint8Array> {
  const bytes = Buffer.from(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(new Uint8Array(bytes.subarray(at, at + size)));
      at += size;
    },
  });
}

const readAll = async (stream: Readable) => Buffer.concat(await stream.toArray()).toString();

describe("readMultipartUpload", () => {
  const content = `id,date\r\n1,2024-01-01\r\n--${B.slice(0, 5)} not a boundary\r\n2,2024-01-02\r\n`;
  const text = body([field("municipality", "131041"), field("profile", "catdata-intakes"), file(content)]);

  it("reads fields and the file's bytes for every chunk size", async () => {
    for (const size of [1, 2, 3, 7, 16, 64, 4096]) {
      const upload = await readMultipartUpload(chunked(text, size), B);
      expect(upload.fields, `chunk ${size}`).toEqual({ municipality: "131041", profile: "catdata-intakes" });
      expect(upload.file.filename).toBe("a.csv");
      expect(upload.file.contentType).toBe("text/csv");
      expect(await readAll(upload.file.stream), `chunk ${size}`).toBe(content);
    }
  });

  it("refuses no file, a part after the file, and a truncated body", async () => {
    await expect(readMultipartUpload(chunked(body([field("a", "b")]), 8), B)).rejects.toThrow(/no file part/);
    const after = await readMultipartUpload(chunked(body([file("x"), field("municipality", "131041")]), 8), B);
    await expect(readAll(after.file.stream)).rejects.toThrow(/must come before it/);
    const truncated = await readMultipartUpload(chunked(body([file("abc")]).slice(0, -20), 8), B);
    await expect(readAll(truncated.file.stream)).rejects.toThrow(/no closing boundary/);
  });
});

describe("safeUploadName", () => {
  it("refuses names that leave the folder or hide bytes", () => {
    for (const [name, why] of [
      ["../x.csv", /climbs out/],
      ["a/../../x.csv", /climbs out/],
      ["/etc/passwd", /absolute/],
      ["C:x.csv", /absolute/],
      ["..\\..\\x.csv", /backslash/],
      ["x.csv\0.txt", /NUL/],
      ["x\n.csv", /control/],
      ["..", /climbs out/],
      ["...", /nothing usable/],
      ["", /no file name/],
    ] as const) {
      expect(() => safeUploadName(name), JSON.stringify(name)).toThrow(why);
    }
  });

  it("keeps a safe basename", () => {
    expect(safeUploadName("intakes 2024 (1).csv")).toBe("intakes 2024 (1).csv");
    expect(safeUploadName("folder/sub/data.csv")).toBe("data.csv");
    expect(safeUploadName(".hidden.csv")).toBe("hidden.csv");
    expect(safeUploadName("猫の収容_令和5年.xlsx")).toBe("猫の収容_令和5年.xlsx");
    expect(safeUploadName("a;b$c`d.csv")).toBe("a_b_c_d.csv");
  });
});

describe("TokenBuckets", () => {
  it("allows a burst, then asks to wait for the refill", () => {
    let now = 0;
    const buckets = new TokenBuckets({ perMinute: 60, burst: 3, now: () => now });
    expect([buckets.take("a"), buckets.take("a"), buckets.take("a")]).toEqual([0, 0, 0]);
    expect(buckets.take("a")).toBeCloseTo(1000);
    expect(buckets.take("b")).toBe(0);
    now += 1000;
    expect(buckets.take("a")).toBe(0);
    expect(buckets.take("a")).toBeGreaterThan(0);
  });
});
