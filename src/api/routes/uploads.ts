import { Hono } from "hono";
import { z } from "zod";
import { mayReadUpload, type Rule } from "../../auth/policy.js";
import { CatdataError } from "../../errors.js";
import { jobIdFor } from "../../etl/job-log.js";
import { PROFILES } from "../../etl/profiles/index.js";
import { rawKeyFor } from "../../etl/raw-key.js";
import { FISCAL_YEAR_START_METADATA, REPLACES_METADATA } from "../../etl/run-job.js";
import type { ApiDeps, ApiEnv } from "../context.js";
import { authorize } from "../middleware/authorize.js";
import { streamIntoStore } from "../middleware/stream-upload.js";
import { notJson, readUploadBody } from "../middleware/upload-body.js";
import { safeUploadName } from "../middleware/upload-name.js";
import { defineRoute } from "../openapi/registry.js";
import { uploadAccepted, uploadStatus } from "../openapi/schemas.js";
import { resultJson } from "../result-json.js";
import { previewRoutes, previewSpecs } from "./preview.js";
import { ownerOf, visibleUpload } from "./upload-access.js";

// Checked in the handler against the deployment's directory (config.municipalities), the CLI's own check.
const municipality = z
  .string()
  .min(1)
  .max(64)
  .describe("a 全国地方公共団体コード such as 272035, or a slug (us-tx-austin)");
const fiscalYearStart = z.coerce
  .number()
  .int()
  .min(1, "the first month of the fiscal year, 1–12")
  .max(12, "the first month of the fiscal year, 1–12");
const profile = z.enum(PROFILES.map((p) => p.name) as [string, ...string[]]);
const uploadQuery = z.strictObject({
  filename: z.string().max(1024).optional().describe("the file's name (raw bodies; multipart sends it in the part)"),
  municipality: municipality.optional().describe("whose data it is; staff: their own (the default)"),
  profile: profile.optional().describe("the mapping profile; default: detected from the headers"),
  replaces: z
    .string()
    .regex(/^[0-9a-f]{20}$/, "a job id (20 hex digits)")
    .optional()
    .describe(
      "the job of the earlier load this upload corrects (GET /loads/history); its records leave the lake at this load's commit",
    ),
  fiscalYearStart: fiscalYearStart
    .optional()
    .describe("first month (1–12) of the fiscal year, when the municipality and the profile do not give it"),
});
const uploadFields = uploadQuery.omit({ filename: true });
const statusParams = z.strictObject({ id: z.string().regex(/^[0-9a-f]{20}$/, "a job id (20 hex digits)") });
const statusQuery = z.strictObject({
  quarantine: z.enum(["all"]).optional().describe("all: page through every quarantined row (else the first 20)"),
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe("rows per page with quarantine=all"),
  cursor: z
    .string()
    .regex(/^\d{1,12}$/)
    .optional()
    .describe("nextCursor of the previous page"),
});
const SAMPLE = 20;

/** Admins for any municipality, staff for their own (checked for form fields and jobs here too). */
const RULE: Rule = { allow: ["admin", "staff"], scope: "own-municipality-records" };
export const uploadSpecs = [
  defineRoute({
    method: "post",
    path: "/uploads",
    operationId: "createUpload",
    summary: "Upload a file (streamed into the store; processed by process-cat-data)",
    tag: "uploads",
    query: uploadQuery,
    body: [
      {
        contentType: "multipart/form-data",
        description: "fields municipality/profile/fiscalYearStart first, then one file part",
      },
      { contentType: "application/octet-stream", description: "the raw file; name it with ?filename=" },
    ],
    responses: { 202: { description: "stored; the job runs (Location: /uploads/<jobId>)", schema: uploadAccepted } },
  }),
  defineRoute({
    method: "get",
    path: "/uploads/:id",
    operationId: "getUpload",
    summary: "Job status: counts, tables, schema drift and quarantined rows with reasons",
    tag: "uploads",
    params: statusParams,
    query: statusQuery,
    responses: { 200: { description: "the job", schema: uploadStatus } },
  }),
  ...previewSpecs,
];

/** `POST /uploads` and `GET /uploads/:id`; the preview and the suggestion of a stored upload (preview.ts). */
export function uploadsRoutes(deps: ApiDeps) {
  const { runtime } = deps;
  const now = runtime.now ?? (() => new Date());

  return new Hono<ApiEnv>()
    .post("/uploads", notJson, authorize(deps, RULE), async (c) => {
      const query = uploadQuery.parse(c.req.query());
      const limit = runtime.config.protection.uploadLimitBytes;
      const upload = await readUploadBody(c, limit);
      const fields = uploadFields.parse(upload.fields);
      const name = upload.filename ?? query.filename;
      const { source, contentType: type } = upload;
      const fileName = safeUploadName(name);
      const target = scopeUpload(c.get("user"), agree("municipality", query.municipality, fields.municipality));
      if (target) runtime.config.municipalities.require(target);
      const chosenProfile = agree("profile", query.profile, fields.profile);
      const declared = agreeMonth(query.fiscalYearStart, fields.fiscalYearStart);
      const metadata: Record<string, string> = { originalName: fileName, uploadedBy: c.get("user").username };
      if (target) metadata.municipality = target;
      // A municipality the deployment's file adds is unknown to the ETL's built-in table: its
      // fiscal-year start travels with the upload, as a declared one does (the CLI does the same).
      const month = runtime.config.municipalities.uploadFiscalYearStart(target, declared);
      if (month !== undefined) metadata[FISCAL_YEAR_START_METADATA] = String(month);
      if (chosenProfile) metadata.profile = chosenProfile;
      const replaces = agree("replaces", query.replaces, fields.replaces);
      if (replaces) metadata[REPLACES_METADATA] = await replaceable(runtime, c.get("user"), replaces);
      const key = rawKeyFor(target, fileName, now);
      // The put returns once the version exists; its event has queued the job (durably).
      const accepted = await streamIntoStore(runtime.store, key, source, { limit, contentType: type, metadata });
      const jobId = jobIdFor(runtime.store.bucket, key, accepted.versionId);
      c.header("Location", `${c.req.path.replace(/\/$/, "")}/${jobId}`);
      return c.json({ jobId, status: "queued", key, versionId: accepted.versionId, bytes: accepted.bytes }, 202);
    })
    .get("/uploads/:id", authorize(deps, RULE), async (c) => {
      const { id } = statusParams.parse(c.req.param());
      const q = statusQuery.parse(c.req.query());
      // An unknown id and a job the caller may not see get the same answer, so ids of others do not leak.
      const job = await visibleUpload(runtime.jobs, c.get("user"), id);
      const offset = q.quarantine === "all" ? Number(q.cursor ?? 0) : 0;
      const size = q.quarantine === "all" ? q.limit : SAMPLE;
      const rows = await runtime.jobs.readQuarantine(id, offset, size + 1);
      const { bucket: _bucket, sha256: _sha, ...shown } = job;
      const quarantine = {
        total: job.counts.quarantined,
        rows: rows.slice(0, size),
        nextCursor: q.quarantine === "all" && rows.length > size ? String(offset + size) : null,
      };
      return resultJson(c, { ...shown, quarantine }, runtime.config.results.maxBytes);
    })
    .route("/", previewRoutes(deps));
}

/** Admins name any municipality; staff only their own, which is also their default. */
function scopeUpload(user: ApiEnv["Variables"]["user"], asked: string | undefined): string | undefined {
  if (user.groups.includes("admin")) return asked;
  if (!user.municipality) throw new CatdataError("FORBIDDEN", `${user.username} is bound to no municipality`);
  if (asked !== undefined && asked !== user.municipality) {
    throw new CatdataError("FORBIDDEN", `staff of ${user.municipality} may not upload for ${asked}`);
  }
  return user.municipality;
}

/** The job an upload replaces must be one the caller may see (else 404, as an unknown one). */
async function replaceable(runtime: ApiDeps["runtime"], user: ApiEnv["Variables"]["user"], jobId: string) {
  const job = await runtime.jobs.get(jobId);
  if (!job || !mayReadUpload(user, ownerOf(job))) {
    throw new CatdataError("NOT_FOUND", `no load ${jobId} that you may replace`, {
      hint: "use a jobId from GET /loads/history; staff replace their own municipality's loads only",
    });
  }
  return jobId;
}

/** A value given both in the query and in the form must agree. */
function agree(name: string, fromQuery: string | undefined, fromForm: string | undefined): string | undefined {
  if (fromQuery !== undefined && fromForm !== undefined && fromQuery !== fromForm) {
    throw new CatdataError("BAD_INPUT", `${name} is given twice with different values`);
  }
  return fromForm ?? fromQuery;
}

/** A fiscal-year start given both in the query and in the form must agree. */
function agreeMonth(fromQuery: number | undefined, fromForm: number | undefined): number | undefined {
  const value = agree("fiscalYearStart", fromQuery?.toString(), fromForm?.toString());
  return value === undefined ? undefined : Number(value);
}
