/**
 * Species is never assumed (issue 16): a city's animal-control export with no species column, end
 * to end through ingestFile. Every count is checked against an independent count over the generated
 * rows (which rows were written naming a cat), never against the code under test.
 * - a complaints mapping without species: no row loads; every row is skipped ("species not declared")
 *   and the job fails (run-job: a file of which nothing loads fails, saying how many were skipped)
 * - `{"declared": "cat"}`: the officer's word, every row loads
 * - suggest-mapping assumes no species: complaints at no more than 50%, "species: not declared — N
 *   rows will be skipped", and the derive rule offered with the count of rows that name a cat
 * - the derive rule: the cat rows load with species 'cat' and their request id; the skipped rows by
 *   request type (preview) equal the independent counts; re-ingesting the same export loads 0 new
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { animalControlCsv, animalControlMapping, animalControlRows } from "../testing/animal-control-export.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import { ingestFile } from "./ingest.js";
import { previewFile } from "./preview.js";
import { namesCat, SPECIES_NOT_DECLARED } from "./profiles/species-rule.js";
import { scanFile } from "./sample-file.js";
import {
  describeSpecies,
  SPECIES_EXAMPLES,
  SPECIES_UNKNOWN_MAX_CONFIDENCE,
  suggestMapping,
} from "./suggest-mapping.js";

const rows = animalControlRows(2000);
const cats = rows.filter((r) => r.isCat);
const DERIVE = { derive: { columns: ["Description"], label: "Request Type" } };

let runtime: Runtime;
let dir: string;
beforeEach(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
  dir = tempDir();
});
afterEach(async () => runtime.close());

function files(species?: unknown): { csv: string; mapping: string } {
  const csv = path.join(dir, "service-requests.csv");
  writeFileSync(csv, animalControlCsv(rows));
  const mapping = path.join(dir, `mapping-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(mapping, JSON.stringify(animalControlMapping(species)));
  return { csv, mapping };
}

describe("an animal-control export with no species column", () => {
  it("the generated export has cats, non-cats and trap words", () => {
    expect(rows).toHaveLength(2000);
    expect(cats.length).toBeGreaterThan(100);
    expect(rows.some((r) => !r.isCat && /category|bobcat|Catherine/.test(r.description))).toBe(true);
  });

  it("loads nothing without a species section: every row is skipped, species not declared", async () => {
    const { csv, mapping } = files();
    const preview = await previewFile(csv, JSON.parse(animalControlMappingText(mapping)));
    expect(preview.loaded).toBe(0);
    expect(preview.skipped.rows).toBe(rows.length);
    expect(preview.skipped.labels).toEqual([{ label: SPECIES_NOT_DECLARED, rows: rows.length }]);
    const job = await ingestFile(runtime, csv, { mapping });
    expect(job.status).toBe("failed");
    expect(job.counts).toMatchObject({ read: rows.length, loaded: 0, skipped: rows.length });
    expect(job.error).toMatch(/none of its 2000 rows loaded — the mapping does not say how species is known/);
    expect(job.skippedBy).toEqual([{ reason: SPECIES_NOT_DECLARED, label: SPECIES_NOT_DECLARED, rows: rows.length }]);
    const n = await runtime.query
      .query("SELECT count(*)::INT AS n FROM complaints")
      .catch(() => ({ rows: [{ n: 0 }] }));
    expect(n.rows[0]).toEqual({ n: 0 });
  });

  it("loads every row when the officer declares every row a cat", async () => {
    const { csv, mapping } = files({ declared: "cat" });
    const job = await ingestFile(runtime, csv, { mapping });
    expect(job.status).toBe("succeeded");
    expect(job.counts).toMatchObject({ read: rows.length, loaded: rows.length, skipped: 0 });
  });

  it("with the derive rule loads exactly the rows that name a cat, with species and request id, once", async () => {
    const { csv, mapping } = files(DERIVE);
    const preview = await previewFile(csv, JSON.parse(animalControlMappingText(mapping)));
    expect(preview.loaded).toBe(cats.length);
    expect(preview.skipped.column).toBe("Request Type");
    const expectedSkipped = new Map<string, number>();
    for (const r of rows) if (!r.isCat) expectedSkipped.set(r.type, (expectedSkipped.get(r.type) ?? 0) + 1);
    expect(Object.fromEntries(preview.skipped.labels.map((l) => [l.label, l.rows]))).toEqual(
      Object.fromEntries(expectedSkipped),
    );

    const job = await ingestFile(runtime, csv, { mapping });
    expect(job.status).toBe("succeeded");
    expect(job.counts).toMatchObject({ read: rows.length, loaded: cats.length, skipped: rows.length - cats.length });
    // The job's summary lists the non-cat rows by request type, as counted independently.
    expect(Object.fromEntries((job.skippedBy ?? []).map((g) => [g.label, g.rows]))).toEqual(
      Object.fromEntries(expectedSkipped),
    );
    const stored = await runtime.query.query(
      "SELECT request_id, species, category_original FROM complaints ORDER BY request_id",
    );
    expect(stored.rows).toEqual(
      [...cats]
        .sort((a, b) => (a.requestId < b.requestId ? -1 : 1))
        .map((r) => ({ request_id: r.requestId, species: "cat", category_original: r.type })),
    );
    const bySpecies = await runtime.query.query("SELECT species, count(*)::INT AS n FROM complaints GROUP BY species");
    expect(bySpecies.rows).toEqual([{ species: "cat", n: cats.length }]);

    // The same export again, under a new name (new bytes key, same rows): identity dedup loads 0 new.
    const again = path.join(dir, "service-requests-again.csv");
    writeFileSync(again, `${animalControlCsv(rows)}`.replace(/\r\n$/, "\r\n\r\n"));
    const second = await ingestFile(runtime, again, { mapping });
    expect(second.counts.loaded).toBe(0);
    const total = await runtime.query.query("SELECT count(*)::INT AS n FROM complaints");
    expect(total.rows[0]).toEqual({ n: cats.length });
  });
});

function animalControlMappingText(file: string): string {
  return readFileSync(file, "utf8");
}

describe("suggest-mapping on the export", () => {
  it("assumes no species, says so loudly, and offers the derive rule with the right count", async () => {
    const { csv } = files();
    const [first] = await scanFile(csv);
    if (!first) throw new Error("no table");
    const suggestions = suggestMapping(first.headers, first.rows, { name: "service-requests", scan: first });
    const complaints = suggestions.find((s) => s.dataset === "complaints");
    if (!complaints) throw new Error("no complaints suggestion");
    expect(complaints.confidence).toBeLessThanOrEqual(SPECIES_UNKNOWN_MAX_CONFIDENCE);
    expect(complaints.profile.species).toBeUndefined();
    expect(complaints.profile.filter).toBeUndefined();
    expect(complaints.species).toMatchObject({ known: "not declared", skippedRows: rows.length });
    expect(complaints.species.derive?.rule.derive.columns).toEqual(["Description"]);
    expect(complaints.species.derive?.cats).toBe(cats.length);
    expect(complaints.species.derive?.countedRows).toBe(rows.length);
    expect(complaints.species.derive?.examples).toHaveLength(SPECIES_EXAMPLES);
    for (const e of complaints.species.derive?.examples ?? []) expect(namesCat(e)).toBe(true);
    const text = describeSpecies(complaints);
    expect(text).toContain(`SPECIES: NOT DECLARED — ${rows.length} rows will be skipped`);
    expect(text).toContain(`${cats.length} of ${rows.length} rows name a cat`);
  });
});
