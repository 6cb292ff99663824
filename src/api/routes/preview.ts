import path from "node:path";
import { type Readable, Transform } from "node:stream";
import { Hono } from "hono";
import { z } from "zod";
import type { Rule } from "../../auth/policy.js";
import { getMunicipality } from "../../cats/municipalities.js";
import { badInput, CatdataError } from "../../errors.js";
import { detectFormat, gunzip } from "../../etl/detect-format.js";
import type { JobRecord } from "../../etl/job-log.js";
import { previewTables } from "../../etl/preview.js";
import { type DeclarativeProfile, parseDeclarative } from "../../etl/profiles/declarative-spec.js";
import { FISCAL_YEAR_START_METADATA } from "../../etl/run-job.js";
import { scanTables } from "../../etl/sample-file.js";
import { suggestMapping } from "../../etl/suggest-mapping.js";
import { openTables, type UploadTable } from "../../etl/tables.js";
import type { ApiDeps, ApiEnv } from "../context.js";
import { authorize } from "../middleware/authorize.js";
import { readJson } from "../middleware/json-body.js";
import { defineRoute } from "../openapi/registry.js";
import { resultJson } from "../result-json.js";
import { ownerOf, visibleUpload } from "./upload-access.js";

/**
 * Before anything loads: `POST /uploads/:id/preview` runs a mapping (the draft or the confirmed
 * catdata-mapping/1 JSON) over every row of the STORED upload — the figures a load would produce per
 * category and month, the rows it would quarantine with their reasons, the unmapped and skipped
 * labels (src/etl/preview.ts, the CLI's `suggest-mapping --preview`) — and `GET /uploads/:id/suggestion`
 * proposes a mapping from the whole stored file, every unmapped label with its row count
 * (src/etl/suggest-mapping.ts). Both only read: nothing goes to the lake, the catalog or the job log.
 * Whoever may read the upload's job may preview it (the 404 of upload-access.ts otherwise); the
 * stored object may be at most CATDATA_PREVIEW_MAX_BYTES (config.preview), counted after gunzip too.
 */
const idParams = z.strictObject({ id: z.string().regex(/^[0-9a-f]{20}$/, "a job id (20 hex digits)") });
const previewBody = z.strictObject({
  mapping: z
    .unknown()
    .refine((v) => v !== undefined && v !== null, "a catdata-mapping/1 JSON object is required")
    .describe("a catdata-mapping/1 JSON (docs/data-model.md): the draft from GET …/suggestion, or your edited one"),
  fiscalYearStart: z
    .number()
    .int()
    .min(1, "the first month of the fiscal year, 1–12")
    .max(12, "the first month of the fiscal year, 1–12")
    .optional()
    .describe("first month (1–12) of the fiscal year; default: the upload's, the mapping's, the municipality's"),
});
const previewResult = z.object({
  jobId: z.string(),
  dataset: z.string(),
  mapping: z.string(),
  rows: z.number(),
  loaded: z.number(),
  byCategory: z.record(z.string(), z.number()),
  byCategoryMonth: z.array(z.object({ category: z.string(), month: z.string(), rows: z.number() })),
  quarantined: z.object({
    rows: z.number(),
    examples: z.array(z.object({ table: z.string(), row: z.number(), reason: z.string() })),
  }),
  unmapped: z.array(z.object({ field: z.string(), column: z.string(), label: z.string(), rows: z.number() })),
  skipped: z.object({
    rows: z.number(),
    column: z.string().optional(),
    labels: z.array(z.object({ label: z.string(), rows: z.number() })),
  }),
});
const suggestionResult = z.object({
  jobId: z.string(),
  table: z.string(),
  rows: z.number().describe("rows the labels were counted over: every row of the first table"),
  suggestions: z.array(z.record(z.string(), z.unknown())).describe("one per dataset, most confident first"),
});

/** Same as reading the upload's job (GET /uploads/:id): admins any, staff their own municipality's. */
const RULE: Rule = { allow: ["admin", "staff"], scope: "own-municipality-records" };
export const previewSpecs = [
  defineRoute({
    method: "post",
    path: "/uploads/:id/preview",
    operationId: "previewUpload",
    summary: "What a mapping would load from a stored upload, per category and month (loads nothing)",
    tag: "uploads",
    params: idParams,
    body: [{ contentType: "application/json", schema: previewBody }],
    responses: { 200: { description: "the preview", schema: previewResult } },
  }),
  defineRoute({
    method: "get",
    path: "/uploads/:id/suggestion",
    operationId: "suggestUploadMapping",
    summary: "A proposed mapping for a stored upload, every unmapped label with its row count",
    tag: "uploads",
    params: idParams,
    responses: { 200: { description: "the suggestions", schema: suggestionResult } },
  }),
];

export function previewRoutes(deps: ApiDeps) {
  const { runtime } = deps;
  return new Hono<ApiEnv>()
    .post("/uploads/:id/preview", authorize(deps, RULE), async (c) => {
      const { id } = idParams.parse(c.req.param());
      const job = await visibleUpload(runtime.jobs, c.get("user"), id);
      const body = await readJson(c, previewBody);
      const spec = parseDeclarative(body.mapping);
      const stored = await runtime.store.head(job.key, job.versionId);
      checkSize(stored.size, runtime.config.preview.maxBytes);
      const municipality = ownerOf(job) ?? spec.municipality;
      const declared = body.fiscalYearStart ?? monthOf(stored.metadata?.[FISCAL_YEAR_START_METADATA]);
      const month = declared ?? (spec.fiscalYearStartMonth ? undefined : known(municipality));
      const tables = withMappedHeaders(storedTables(runtime, job), spec);
      const preview = await previewTables(tables, spec, {
        ...(municipality ? { municipality } : {}),
        ...(month !== undefined ? { fiscalYearStartMonth: month } : {}),
      });
      return resultJson(c, { jobId: job.jobId, ...preview }, runtime.config.results.maxBytes);
    })
    .get("/uploads/:id/suggestion", authorize(deps, RULE), async (c) => {
      const { id } = idParams.parse(c.req.param());
      const job = await visibleUpload(runtime.jobs, c.get("user"), id);
      checkSize((await runtime.store.head(job.key, job.versionId)).size, runtime.config.preview.maxBytes);
      const [first] = await scanTables(storedTables(runtime, job));
      if (!first || first.headers.length === 0)
        throw badInput(`${fileNameOf(job)} has no header row to map`, "upload a file whose first table has headers");
      const suggestions = suggestMapping(first.headers, first.rows, {
        name: fileNameOf(job).replace(/\..*$/, ""),
        scan: first,
      });
      const answer = { jobId: job.jobId, table: first.table, rows: first.rowCount, suggestions };
      return resultJson(c, answer, runtime.config.results.maxBytes);
    });
}

const fileNameOf = (job: JobRecord) => path.posix.basename(job.key);
const known = (municipality: string | null | undefined) =>
  municipality ? getMunicipality(municipality)?.fiscalYearStartMonth : undefined;
const monthOf = (raw: string | undefined) => (raw && /^(?:[1-9]|1[0-2])$/.test(raw) ? Number(raw) : undefined);

const tooLarge = (what: string, maxBytes: number) =>
  new CatdataError(
    "PAYLOAD_TOO_LARGE",
    `${what} more than the ${maxBytes}-byte preview limit (CATDATA_PREVIEW_MAX_BYTES)`,
    {
      hint: "preview a smaller extract (catdata suggest-mapping <file> --preview), load the file and review its job, or raise CATDATA_PREVIEW_MAX_BYTES",
    },
  );

function checkSize(size: number, maxBytes: number): void {
  if (size > maxBytes) throw tooLarge(`the upload is ${size} bytes,`, maxBytes);
}

/** The tables of the stored version, through the ETL's own sniffing, gunzip and readers (with their caps). */
async function* storedTables(runtime: ApiDeps["runtime"], job: JobRecord): AsyncGenerator<UploadTable> {
  const limits = runtime.config.ingest;
  const fileName = fileNameOf(job);
  const { format, gzip } = await detectFormat(runtime.store, job, fileName, limits);
  const raw = await runtime.store.getStream(job.key, job.versionId);
  const source = capped(gzip ? gunzip(raw, limits, fileName) : raw, runtime.config.preview.maxBytes, fileName);
  try {
    yield* openTables(source, format, fileName, { limits });
  } finally {
    source.destroy();
    raw.destroy();
  }
}

/** Fails the stream past `maxBytes` (a gzipped upload is counted as it inflates). */
function capped(stream: Readable, maxBytes: number, fileName: string): Readable {
  let size = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) done(tooLarge(`${fileName} inflates to`, maxBytes));
      else done(null, chunk);
    },
  });
  stream.on("error", (e) => cap.destroy(e));
  return stream.pipe(cap);
}

/**
 * A header the mapping names that the table lacks fails the preview once, naming it — as the load
 * fails (run-job.ts) — instead of every row being quarantined as "empty".
 */
async function* withMappedHeaders(
  tables: AsyncIterable<UploadTable>,
  spec: DeclarativeProfile,
): AsyncGenerator<UploadTable> {
  const mapped = [...new Set([...Object.values(spec.columns), ...(spec.filter ? [spec.filter.column] : [])])];
  for await (const table of tables) {
    async function* rows() {
      let checked = false;
      for await (const row of table.rows) {
        if (!checked) {
          const have = new Set(table.headers());
          const missing = mapped.filter((h) => !have.has(h));
          if (missing.length > 0)
            throw badInput(
              `the mapping ${spec.name} names ${missing.length === 1 ? "column" : "columns"} ${missing.map((h) => JSON.stringify(h)).join(", ")}, which ${table.name} does not have (its headers: ${table.headers().join(", ")})`,
              "fix the header names in the mapping's columns (they must match the file exactly), or start from GET /uploads/:id/suggestion",
            );
          checked = true;
        }
        yield row;
      }
    }
    yield { ...table, rows: rows() };
  }
}
