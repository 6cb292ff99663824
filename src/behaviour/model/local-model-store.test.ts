/**
 * Pins the local model store: the ModelStore contract on a file under a temporary data directory
 * (`DataDir.models.behaviour`), and a damaged file reported as INTEGRITY.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
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
  return { store: new LocalModelStore(file), reopen: () => new LocalModelStore(file) };
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
});
