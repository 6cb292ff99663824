/**
 * Pins corrections through the real ingest path (store put → process-cat-data → lake commit) and the
 * query engine (Step 7, docs/data-model.md "Corrections"):
 * - the same bytes with a corrected mapping, uploaded `replaces` the first job, are no duplicate: the
 *   figures become the corrected ones (an independent count over the generated rows), in one commit
 * - the duplicate rule is bytes + municipality + mapping: a replaced job is no longer a duplicate target
 * - a re-export with one changed byte and 10 new rows adds exactly the 10 new rows (identity dedup)
 * - a retract takes the job's records out in one catalog commit, the history shows it, and replacing
 *   the retracted job again undoes it; a job that is not live cannot be retracted
 * - the real Austin intakes file (../shared/data; skipped without it) re-exported with one changed byte
 *   and 10 new rows adds exactly 10
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { identitiesFor } from "../lake/catalog-state.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { AUSTIN_HEADER } from "../testing/austin-rows.js";
import { hasSamples, sample, tempConfig, tempDir } from "../testing/fixtures.js";
import { IDENTITY_MAGIC, loadIdentities } from "./identity-index.js";
import { ingestFile } from "./ingest.js";
import { KeySet } from "./key-set.js";
import { loadHistory, retractLoad } from "./loads.js";

let runtime: Runtime;
let dir: string;
beforeEach(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
  dir = tempDir();
});
afterEach(async () => runtime.close());

const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** Rows of a Japanese intake register: 区分 is 迷い猫 (stray) or 引取り (owner surrender), by a fixed pattern. */
const KINDS = ["迷い猫", "引取り", "迷い猫", "迷い猫", "引取り"] as const;
const hokenRows = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ date: `2024/0${4 + (i % 6)}/1${i % 10}`, id: `K-${i}`, kind: KINDS[i % 5]! }));
const hokenCsv = (rows: ReturnType<typeof hokenRows>) =>
  `保護日,個体ID,区分\n${rows.map((r) => `${r.date},${r.id},${r.kind}`).join("\n")}\n`;

/** A mapping of the register; `ownerSurrender` is what 引取り maps to (the wrong one says stray). */
function writeMapping(name: string, ownerSurrender: string) {
  return write(
    `${name}.mapping.json`,
    JSON.stringify({
      format: "catdata-mapping/1",
      name: "hoken-intakes",
      dataset: "intakes",
      species: { declared: "cat" }, // a cat-only file: no species column
      columns: { intakeAt: "保護日", animalId: "個体ID", intakeType: "区分" },
      values: { intakeType: { 迷い猫: "stray", 引取り: ownerSurrender } },
      dedup: ["animalId", "intakeAt"],
    }),
  );
}

const byType = async (municipality: string) =>
  Object.fromEntries(
    (
      await runtime.query.query(
        `SELECT intake_type, count(*)::INT AS n FROM intakes WHERE municipality = '${municipality}' GROUP BY 1 ORDER BY 1`,
      )
    ).rows.map((r) => [r.intake_type, r.n]),
  );

const count = async (where = "true") =>
  (await runtime.query.query(`SELECT count(*)::INT AS n FROM intakes WHERE ${where}`)).rows[0]?.n;

/** Austin-format cat rows with ids `<tag><i>`, each a distinct cat and date. */
const austinCats = (tag: string, n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `${tag}${i},N,0${1 + (i % 9)}/1${i % 10}/2019 10:00:00 AM,x,Somewhere in Austin (TX),Stray,Normal,Cat,Intact Female,2 years,Domestic Shorthair,Black`,
  );

describe("replace a load", () => {
  it("replacing a load with a corrected mapping changes the figures to the corrected ones", async () => {
    const rows = hokenRows(40);
    const csv = write("register.csv", hokenCsv(rows));
    const first = await ingestFile(runtime, csv, { municipality: "131041", mapping: writeMapping("wrong", "stray") });
    expect(first.status, first.error ?? "").toBe("succeeded");
    expect(await byType("131041")).toEqual({ stray: rows.length });

    const corrected = writeMapping("corrected", "owner_surrender");
    const version = (await runtime.lake.readCatalog()).version;
    const second = await ingestFile(runtime, csv, {
      municipality: "131041",
      mapping: corrected,
      replaces: first.jobId,
    });
    expect(second.status, second.error ?? "").toBe("succeeded");
    expect(second).toMatchObject({ replaces: first.jobId, duplicateOf: null });
    expect(second.counts).toMatchObject({ read: rows.length, loaded: rows.length, deduplicated: 0 });
    // The independent count, from the generated rows.
    const expected = {
      owner_surrender: rows.filter((r) => r.kind === "引取り").length,
      stray: rows.filter((r) => r.kind === "迷い猫").length,
    };
    expect(await byType("131041")).toEqual(expected);
    const catalog = await runtime.lake.readCatalog();
    // One commit for the new parts and the old parts' removal (recordSchema adds one of its own per table).
    expect(catalog.version).toBe(version + 2);
    expect(catalog.retired[first.jobId]?.by).toBe(second.jobId);
    expect(catalog.history.map((h) => [h.action, h.jobId, h.by])).toEqual([["replace", first.jobId, second.jobId]]);
    expect(catalog.tables.intakes?.files.every((f) => f.jobId === second.jobId)).toBe(true);
    // The earlier version is kept: its parts are still on disk, only unlisted.
    for (const f of catalog.retired[first.jobId]?.files.intakes ?? []) {
      expect(() => readFileSync(path.join(runtime.lake.location, f.path))).not.toThrow();
    }
    const history = loadHistory(catalog);
    expect(history.loads.find((l) => l.jobId === first.jobId)).toMatchObject({
      state: "replaced",
      replacedBy: second.jobId,
    });
  });

  it("keeps the duplicate rule to the same bytes, municipality and mapping", async () => {
    const csv = write("register.csv", hokenCsv(hokenRows(10)));
    const mapping = writeMapping("m", "owner_surrender");
    const first = await ingestFile(runtime, csv, { municipality: "131041", mapping });
    const again = await ingestFile(runtime, csv, { municipality: "131041", mapping });
    expect(again).toMatchObject({ status: "duplicate", duplicateOf: first.jobId });
    // Another mapping of the same bytes, not replacing: no duplicate, but every record is already in the lake.
    const other = await ingestFile(runtime, csv, { municipality: "131041", mapping: writeMapping("o", "stray") });
    expect(other.status).toBe("failed");
    expect(other.counts).toMatchObject({ read: 10, loaded: 0, deduplicated: 10 });
    expect(other.error).toMatch(/--replaces/);
    expect(await count()).toBe(10);
  });

  it("refuses to replace a job that committed nothing or was already replaced, naming what to do", async () => {
    const csv = write("register.csv", hokenCsv(hokenRows(5)));
    const mapping = writeMapping("m", "owner_surrender");
    const unknown = await ingestFile(runtime, csv, {
      municipality: "131041",
      mapping,
      replaces: "0123456789abcdef0123",
    });
    expect(unknown.status).toBe("failed");
    expect(unknown.error).toMatch(/job 0123456789abcdef0123 has committed nothing.*catdata loads history/);
    const first = await ingestFile(runtime, csv, { municipality: "131041", mapping });
    const second = await ingestFile(runtime, csv, { municipality: "131041", mapping, replaces: first.jobId });
    expect(second.status, second.error ?? "").toBe("succeeded");
    const third = await ingestFile(runtime, csv, { municipality: "131041", mapping, replaces: first.jobId });
    expect(third.error).toMatch(new RegExp(`already replaced by job ${second.jobId}`));
    expect(await count()).toBe(5);
  });
});

describe("dedup across jobs by record identity", () => {
  it("re-ingesting a re-export with one changed byte and 10 new rows adds exactly the 10 new rows", async () => {
    const base = austinCats("A", 200);
    const first = await ingestFile(runtime, write("export-1.csv", `${AUSTIN_HEADER}\n${base.join("\n")}\n`));
    expect(first.status, first.error ?? "").toBe("succeeded");
    const changed = [...base];
    changed[7] = changed[7]!.replace(",N,", ",M,"); // one byte: a name, not the identity
    const fresh = austinCats("NEW", 10);
    const reexport = `${AUSTIN_HEADER}\n${[...changed, ...fresh].join("\n")}\n`;
    const second = await ingestFile(runtime, write("export-2.csv", reexport));
    expect(second.status, second.error ?? "").toBe("succeeded");
    // Independent: the rows whose (id, date) the first export did not have.
    const key = (line: string) => {
      const [id, , at] = line.split(",");
      return `${id}|${at}`;
    };
    const known = new Set(base.map(key));
    const added = [...changed, ...fresh].filter((l) => !known.has(key(l))).length;
    expect(added).toBe(10);
    expect(second.counts).toMatchObject({ read: 210, loaded: added, deduplicated: 210 - added });
    expect(await count()).toBe(new Set([...base, ...fresh].map(key)).size);
    // A job that replaces the first one is not deduplicated against it.
    const third = await ingestFile(runtime, write("export-3.csv", `${reexport}\n`), { replaces: first.jobId });
    expect(third.counts).toMatchObject({ loaded: 200, deduplicated: 10 });
    expect(await count()).toBe(210);
  });
});

describe("retract a load", () => {
  it("retract removes the job's records in one commit and the history shows it", async () => {
    const keep = await ingestFile(runtime, write("keep.csv", `${AUSTIN_HEADER}\n${austinCats("K", 30).join("\n")}\n`));
    const wrong = await ingestFile(
      runtime,
      write("wrong.csv", `${AUSTIN_HEADER}\n${austinCats("W", 12).join("\n")}\n`),
    );
    expect([keep.status, wrong.status]).toEqual(["succeeded", "succeeded"]);
    expect(await count()).toBe(42);
    const before = await runtime.lake.readCatalog();
    const entry = await retractLoad({ lake: runtime.lake }, wrong.jobId);
    expect(entry).toMatchObject({ action: "retract", jobId: wrong.jobId, by: null, parts: { intakes: 1 } });
    const after = await runtime.lake.readCatalog();
    expect(after.version).toBe(before.version + 1);
    expect(await count()).toBe(30);
    expect(await count("animal_id LIKE 'W%'")).toBe(0);
    expect(loadHistory(after).history).toEqual([entry]);
    expect(loadHistory(after).loads.find((l) => l.jobId === wrong.jobId)?.state).toBe("retracted");
    await expect(retractLoad({ lake: runtime.lake }, wrong.jobId)).rejects.toMatchObject({
      code: "BAD_INPUT",
      message: expect.stringContaining("already retracted"),
    });
    // Undo: the same file again, replacing the retracted job (no duplicate: that job is not live).
    const undo = await ingestFile(
      runtime,
      write("wrong-again.csv", `${AUSTIN_HEADER}\n${austinCats("W", 12).join("\n")}\n`),
      {
        replaces: wrong.jobId,
      },
    );
    expect(undo.status, undo.error ?? "").toBe("succeeded");
    expect(await count()).toBe(42);
  });
});

describe.skipIf(!hasSamples)("a re-export of the real Austin intakes file", () => {
  it("adds exactly the 10 new rows when one byte changed", { timeout: 240_000 }, async () => {
    const text = readFileSync(
      sample("cats", "austin-aac-intakes-2013-2020", "Austin_Animal_Center_Intakes.csv"),
      "utf8",
    );
    const first = await ingestFile(runtime, write("austin.csv", text));
    expect(first.status, first.error ?? "").toBe("succeeded");
    const lines = text.split("\n");
    const at = lines.findIndex((l, i) => i > 0 && l.includes(",Cat,") && !l.includes('"'));
    const fields = lines[at]!.split(",");
    fields[4] = `${fields[4]}x`; // Found Location: one byte more, the identity unchanged
    lines[at] = fields.join(",");
    const body = lines.join("\n").replace(/\n?$/, "\n");
    // The cost of finding the identities already in the lake: read the first job's index, fill a set.
    const catalog = await runtime.lake.readCatalog();
    const [index] = identitiesFor(catalog, "intakes", "us-tx-austin");
    expect(index?.size).toBe(IDENTITY_MAGIC.length + 8 * first.counts.loaded);
    const primeStart = performance.now();
    const primed = loadIdentities(await runtime.lake.readIdentity(index!), new KeySet(), index!.path);
    const primeMs = performance.now() - primeStart;
    expect(primed).toBe(first.counts.loaded);
    const started = performance.now();
    const second = await ingestFile(runtime, write("austin-2.csv", `${body}${austinCats("NEW", 10).join("\n")}\n`));
    const seconds = (performance.now() - started) / 1000;
    expect(second.status, second.error ?? "").toBe("succeeded");
    expect(second.counts.loaded).toBe(10);
    expect(second.counts.deduplicated).toBe(first.counts.loaded + first.counts.deduplicated);
    expect(await count()).toBe(first.counts.loaded + 10);
    console.info(
      `Austin re-export: ${primed} identities primed in ${primeMs.toFixed(1)} ms (${index!.size} bytes); job ${seconds.toFixed(1)} s`,
    );
  });
});
