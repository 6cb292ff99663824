/**
 * Pins `VerifiedFiles` and the lake's part checks built on it:
 * - a file matching its digest is ok, and remembered; a byte changed in place later (same size) is
 *   caught; a different size or a missing file is reported with what was found
 * - at MAX_VERIFIED_FILES (here a small limit) the memory is cleared, never grows past it, and
 *   checks stay correct
 */
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { tempDir } from "../testing/fixtures.js";
import { flipMiddleByteOfFile } from "../testing/flip-byte.js";
import { digestFile } from "./file-digest.js";
import { VerifiedFiles } from "./verified-files.js";

function file(dir: string, name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe("VerifiedFiles", () => {
  it("accepts matching bytes and catches a later change, a new size and a missing file", async () => {
    const dir = tempDir();
    const a = file(dir, "a", "hello parquet bytes");
    const digest = await digestFile(a);
    const files = new VerifiedFiles();
    expect(await files.check(a, digest)).toEqual({ ok: true });
    expect(files.size).toBe(1);
    await sleep(20);
    await flipMiddleByteOfFile(a);
    const changed = await files.check(a, digest);
    expect(changed.ok).toBe(false);
    expect(!changed.ok && changed.actual !== "missing" && changed.actual.size).toBe(digest.size);
    writeFileSync(a, "shorter");
    expect(await files.check(a, digest)).toEqual({ ok: false, actual: { sha256: "(not read)", size: 7 } });
    rmSync(a);
    expect(await files.check(a, digest)).toEqual({ ok: false, actual: "missing" });
  });

  it("never remembers more than its limit, and stays correct past it", async () => {
    const dir = tempDir();
    const files = new VerifiedFiles({ maxEntries: 2 });
    const paths = ["a", "b", "c"].map((n) => file(dir, n, `part ${n}`));
    for (const p of paths) expect(await files.check(p, await digestFile(p))).toEqual({ ok: true });
    expect(files.size).toBe(1); // cleared at the limit, then c remembered
    for (const p of paths) expect(await files.check(p, await digestFile(p))).toEqual({ ok: true });
    expect(files.size).toBeLessThanOrEqual(2);
    expect((await files.check(paths[0]!, { sha256: "0".repeat(64), size: 6 })).ok).toBe(false);
  });
});
