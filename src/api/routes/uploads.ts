import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { Hono } from "hono";
import { z } from "zod";
import type { Rule } from "../../auth/policy.js";
import { getMunicipality } from "../../cats/municipalities.js";
import { CatdataError } from "../../errors.js";
import { jobIdFor } from "../../etl/jobs.js";
import { PROFILES } from "../../etl/profiles/index.js";
import { rawKeyFor } from "../../runtime.js";
import type { ApiDeps, ApiEnv } from "../context.js";
import { authorize } from "../middleware/authorize.js";
import { streamIntoStore } from "../middleware/stream-upload.js";
import { notJson, readUploadBody } from "../middleware/upload-body.js";
import { safeUploadName } from "../middleware/upload-name.js";
import { defineRoute } from "../openapi/registry.js";
import { uploadAccepted, uploadStatus } from "../openapi/schemas.js";

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
  /** Accepted uploads whose job record is not written yet (the ETL has not started). */
  const queued = new Map<string, { municipality: string | null; acceptedAt: string }>();

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
      const key = rawKeyFor(target, fileName);
      const accepted = await streamIntoStore(runtime.store, key, source, { limit, contentType: type, metadata });
      const jobId = jobIdFor(runtime.store.bucket, key, accepted.versionId);
      queued.set(jobId, { municipality: target ?? null, acceptedAt: new Date().toISOString() });
      accepted.done
        .catch((error: unknown) => runtime.logger.error({ err: error, jobId, key }, "upload processing failed"))
        .finally(() => queued.delete(jobId));
      c.header("Location", `${c.req.path.replace(/\/$/, "")}/${jobId}`);
      return c.json({ jobId, status: "queued", key, versionId: accepted.versionId, bytes: accepted.bytes() }, 202);
    })
    .get("/uploads/:id", authorize(deps, RULE), async (c) => {
      const { id } = statusParams.parse(c.req.param());
      const q = statusQuery.parse(c.req.query());
      const job = await runtime.jobs.get(id);
      const user = c.get("user");
      if (!job) {
        const waiting = queued.get(id);
        if (!waiting)
          throw new CatdataError("NOT_FOUND", `no upload ${id}`, { hint: "use the jobId from POST /uploads" });
        scopeUpload(user, waiting.municipality ?? undefined);
        return c.json({ jobId: id, status: "queued" as const, acceptedAt: waiting.acceptedAt });
      }
      scopeUpload(user, job.municipality ?? undefined);
      const offset = q.quarantine === "all" ? Number(q.cursor ?? 0) : 0;
      const size = q.quarantine === "all" ? q.limit : SAMPLE;
      const rows = await readQuarantine(runtime.jobs.quarantinePath(id), offset, size + 1);
      const { bucket: _bucket, sha256: _sha, ...shown } = job;
      return c.json({
        ...shown,
        quarantine: {
          total: job.counts.quarantined,
          rows: rows.slice(0, size),
          nextCursor: q.quarantine === "all" && rows.length > size ? String(offset + size) : null,
        },
      });
    });
}

/** Admins name any municipality; staff only their own, which is also their default. */
function scopeUpload(user: ApiEnv["Variables"]["user"], asked: string | undefined): string | undefined {
  if (user.groups.includes("admin")) return asked;
  if (!user.municipality) throw new CatdataError("FORBIDDEN", `${user.username} is bound to no municipality`);
  if (asked !== undefined && asked !== user.municipality) {
    throw new CatdataError("FORBIDDEN", `staff of ${user.municipality} may not upload or read uploads for ${asked}`);
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

/** Lines `offset … offset+count-1` of the quarantine file, read as a stream (it can be large). */
async function readQuarantine(file: string, offset: number, count: number): Promise<unknown[]> {
  const out: unknown[] = [];
  const stream = createReadStream(file, { encoding: "utf8" });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let index = 0;
  try {
    for await (const line of lines) {
      if (line === "") continue;
      if (index++ < offset) continue;
      out.push(JSON.parse(line));
      if (out.length >= count) break;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  } finally {
    lines.close();
    stream.destroy();
  }
  return out;
}
