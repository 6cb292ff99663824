import { z } from "zod";
import { DATASETS } from "../../cats/model.js";

/**
 * Response shapes shared by the routes and the OpenAPI document (request schemas live beside their
 * handlers, which parse with them). The error shape is the one every failure has.
 */
export const errorBody = z.object({
  error: z.object({
    code: z.string().describe("stable code: BAD_INPUT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, RATE_LIMITED, …"),
    message: z.string().describe("what was wrong and what to do"),
    requestId: z.string().describe("also in the X-Request-Id header and the server log"),
  }),
});

const counts = z.object({
  read: z.number().int(),
  loaded: z.number().int(),
  quarantined: z.number().int(),
  deduplicated: z.number().int(),
  skipped: z.number().int(),
  failed: z
    .number()
    .int()
    .optional()
    .describe("a failed job: rows that would have loaded but were not published (loaded is 0)"),
});
const drift = z
  .object({
    added: z.array(z.string()),
    removed: z.array(z.string()),
    retyped: z.array(z.object({ column: z.string(), from: z.string(), to: z.string() })),
  })
  .nullable();

export const uploadAccepted = z.object({
  jobId: z.string(),
  status: z.literal("queued"),
  key: z.string().describe("where the raw file is in the store"),
  versionId: z.string(),
  bytes: z.number().int(),
});

export const quarantinedRow = z.object({
  row: z.number().int().describe("the data row (1: the first row after the header)"),
  reason: z.string(),
  values: z.record(z.string(), z.string()),
});

export const uploadStatus = z.object({
  jobId: z.string(),
  status: z.enum(["queued", "running", "succeeded", "needs_review", "failed", "duplicate"]),
  key: z.string().optional(),
  profile: z.string().nullable().optional(),
  municipality: z.string().nullable().optional(),
  attempts: z.number().int().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().nullable().optional(),
  progress: z
    .object({ bytesRead: z.number().int(), totalBytes: z.number().int(), updatedAt: z.string() })
    .nullable()
    .optional()
    .describe("bytes of the raw file read so far (updated at most every 500 ms while running)"),
  counts: counts.optional(),
  loadedByDataset: z.partialRecord(z.enum(DATASETS), z.number().int()).optional(),
  tables: z.array(z.object({ name: z.string(), profile: z.string(), headers: z.array(z.string()), drift })).optional(),
  skippedBy: z
    .array(z.object({ reason: z.string(), label: z.string(), rows: z.number().int() }))
    .optional()
    .describe("rows skipped (not cats, species not declared…) by reason and label, most frequent first"),
  error: z.string().nullable().optional(),
  duplicateOf: z.string().nullable().optional(),
  quarantine: z
    .object({ total: z.number().int(), rows: z.array(quarantinedRow), nextCursor: z.string().nullable() })
    .optional(),
});

export const queryRun = z.object({
  queryId: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.record(z.string(), z.unknown())),
  truncated: z.boolean(),
  resultKey: z.string().describe("the CSV of the result in the store (athena-query-results/…)"),
});

export const savedQuery = z.object({
  name: z.string(),
  sql: z.string(),
  description: z.string(),
  owner: z.string().describe("who saved it first: only they or an admin may replace it"),
  createdBy: z.string().describe("who saved this version"),
  createdAt: z.string(),
  version: z.number().int().describe("1 for the first save, one more per replace; earlier ones are kept"),
});
