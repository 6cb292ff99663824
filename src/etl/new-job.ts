import type { ObjectCreatedEvent } from "../store/object-store.js";
import type { JobRecord } from "./job-log.js";

/**
 * A fresh record for the object version in `record`: `queued` when the put event is taken in,
 * `running` for each attempt (the attempt count carried on from `previous`).
 */
export function newJobRecord(
  record: ObjectCreatedEvent,
  jobId: string,
  status: "queued" | "running",
  at: Date,
  previous?: JobRecord,
): JobRecord {
  return {
    jobId,
    bucket: record.s3.bucket.name,
    key: record.s3.object.key,
    versionId: record.s3.object.versionId,
    sha256: record.s3.object.sha256 ?? previous?.sha256 ?? "",
    status,
    profile: null,
    municipality: null,
    attempts: (previous?.attempts ?? 0) + (status === "running" ? 1 : 0),
    startedAt: at.toISOString(),
    finishedAt: null,
    progress: null,
    counts: { read: 0, loaded: 0, quarantined: 0, deduplicated: 0, skipped: 0 },
    loadedByDataset: {},
    tables: [],
    error: null,
    duplicateOf: null,
  };
}
