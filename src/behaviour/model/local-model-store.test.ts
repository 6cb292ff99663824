/**
 * Pins the local model store: the ModelStore contract on a file under a temporary data directory
 * (`DataDir.models.behaviour`), a damaged file reported as INTEGRITY, the file kept 0600, and a
 * model written before checksums (format catdata-behaviour/1) still read.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DataDir } from "../../local/data-dir.js";
import { describeModelStoreContract } from "../../testing/contracts/model-store.contract.js";
import { BehaviourModel } from "./behaviour-model.js";
import { LocalModelStore } from "./local-model-store.js";

const tempFile = () => new DataDir(mkdtempSync(path.join(os.tmpdir(), "catdata-models-"))).models.behaviour;

describeModelStoreContract("local", async () => {
  const file = tempFile();
  return {
    store: new LocalModelStore(file),
    reopen: () => new LocalModelStore(file),
    tamper: async (edit) => writeFileSync(file, edit(readFileSync(file, "utf8"))),
  };
});

describe("LocalModelStore", () => {
  it("reports a damaged model file as INTEGRITY", async () => {
    const file = tempFile();
    const store = new LocalModelStore(file);
    await store.write(new BehaviourModel({ sessionGapMs: 60_000 }), {
      trainedAt: "t",
      parts: { count: 0, digest: "" },
    });
    writeFileSync(file, "{ nope");
    await expect(store.read()).rejects.toMatchObject({ code: "INTEGRITY" });
  });

  it("keeps the model file 0600 and still reads one written before checksums", async () => {
    const file = tempFile();
    const store = new LocalModelStore(file);
    await store.write(new BehaviourModel({ sessionGapMs: 60_000 }), {
      trainedAt: "t",
      parts: { count: 0, digest: "" },
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const legacy = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    delete legacy.bodySha256;
    writeFileSync(file, JSON.stringify({ ...legacy, format: "catdata-behaviour/1" }));
    expect((await store.read())?.meta.trainedAt).toBe("t");
  });
});
