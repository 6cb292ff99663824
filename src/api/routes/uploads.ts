import { Hono } from "hono";
import { z } from "zod";
import { mayReadUpload, type Rule } from "../../auth/policy.js";
import { getMunicipality } from "../../cats/municipalities.js";
import { CatdataError } from "../../errors.js";
import { type JobRecord, jobIdFor } from "../../etl/job-log.js";
import { PROFILES } from "../../etl/profiles/index.js";
import { rawKeyFor } from "../../etl/raw-key.js";
import type { ApiDeps, ApiEnv } from "../context.js";
import { authorize } from "../middleware/authorize.js";
import { streamIntoStore } from "../middleware/stream-upload.js";
import { notJson, readUploadBody } from "../middleware/upload-body.js";
import { safeUploadName } from "../middleware/upload-name.js";
import { defineRoute } from "../openapi/registry.js";
import { uploadAccepted, uploadStatus } from "../openapi/schemas.js";
import { resultJson } from "../result-json.js";

const municipality = z
  .string()
  .regex(/^[a-z0-9-]{2,32}$/, "a municipality code such as 131041 or us-tx-austin")
  .refine((code) => getMunicipality(code) !== undefined, "not a municipality catdata knows (GET /municipalities)");
const profile = z.enum(PROFILES.map((p) => p.name) as [string, ...string[]]);
const uploadQuery = z.strictObject({
  filename: z.string().max(1024).optional().describe("the file's name (raw bodies; multipart sends it in the part)"),
  municipality: municipality.optional().describe("whose data it is; staff: their own (the default)"),
  profile: profile.optional().describe("the mapping profile; default: detected from the headers"),
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
      { contentType: "multipart/form-data", description: "fields municipality/profile first, then one file part" },
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
];

/** `POST /uploads` and `GET /uploads/:id`. */
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
      const chosenProfile = agree("profile", query.profile, fields.profile);
      const metadata: Record<string, string> = { originalName: fileName, uploadedBy: c.get("user").username };
      if (target) metadata.municipality = target;
      if (chosenProfile) metadata.profile = chosenProfile;
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
      const job = await runtime.jobs.get(id);
      // An unknown id and a job the caller may not see get the same answer, so ids of others do not leak.
      if (!job || !mayReadUpload(c.get("user"), ownerOf(job))) throw uploadNotFound();
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
    });
}

/** The one 404 for an upload that does not exist or is not the caller's to see (the same body either way). */
const uploadNotFound = () =>
  new CatdataError("NOT_FOUND", "no upload with this id that you may see", {
    hint: "use the jobId from POST /uploads; staff see their own municipality's uploads only",
  });

/** Whose upload a job is: the municipality the ETL resolved, else the one of its key; null when neither. */
const ownerOf = (job: JobRecord): string | null => job.municipality ?? municipalityOfKey(job.key) ?? null;

/** Admins name any municipality; staff only their own, which is also their default. */
function scopeUpload(user: ApiEnv["Variables"]["user"], asked: string | undefined): string | undefined {
  if (user.groups.includes("admin")) return asked;
  if (!user.municipality) throw new CatdataError("FORBIDDEN", `${user.username} is bound to no municipality`);
  if (asked !== undefined && asked !== user.municipality) {
    throw new CatdataError("FORBIDDEN", `staff of ${user.municipality} may not upload for ${asked}`);
  }
  return user.municipality;
}

/** A value given both in the query and in the form must agree. */
function agree(name: string, fromQuery: string | undefined, fromForm: string | undefined): string | undefined {
  if (fromQuery !== undefined && fromForm !== undefined && fromQuery !== fromForm) {
    throw new CatdataError("BAD_INPUT", `${name} is given twice with different values`);
  }
  return fromForm ?? fromQuery;
}

/** `raw/<municipality>/…`: whose upload a job is before the ETL has resolved its municipality. */
function municipalityOfKey(key: string): string | undefined {
  const segment = key.split("/")[1];
  return segment && segment !== "unassigned" ? segment : undefined;
}
