import { DuckDb } from "../duckdb/duckdb.js";
import { duckdbDialect } from "../sql/dialect/dialect-duckdb.js";
import { trailPartsSql } from "../trail/lake/parts-fingerprint.js";
import type { TrailLake } from "../trail/lake/trail-lake.js";
import { eventsCte } from "./sql/build-training-sql.js";

/**
 * What the trail lake holds, for a person or a model deciding what to ask: the sources loaded
 * (folders, `s3://…`, `cloudtrail-lookup://…`, with files, records and when), the events behaviour
 * reads (distinct events with a time, no Insights), their principals and time span, and how old the
 * data is at `now`. The model's freshness is added by the BehaviourService. At most
 * MAX_STATUS_SOURCES sources, the latest loaded first (`sourcesTotal` counts them all).
 */
export const MAX_STATUS_SOURCES = 20;

export interface SourceStatus {
  source: string;
  files: number;
  records: number;
  /** Files some of whose records had problems (kept, with the problems listed in the lake). */
  filesWithProblems: number;
  lastLoadedAt: string;
}

export interface TrailStatus {
  lake: string;
  sources: SourceStatus[];
  sourcesTotal: number;
  events: number;
  principals: number;
  eventSources: number;
  firstEventTime: string | null;
  lastEventTime: string | null;
  /** Days from the last event to `now` (null with no events). */
  dataAgeDays: number | null;
}

export async function trailStatus(trail: TrailLake, now: Date): Promise<TrailStatus> {
  const manifest = await trail.readManifest();
  const bySource = new Map<string, SourceStatus>();
  for (const file of manifest.files) {
    const s = bySource.get(file.folder) ?? {
      source: file.folder,
      files: 0,
      records: 0,
      filesWithProblems: 0,
      lastLoadedAt: file.loadedAt,
    };
    s.files += 1;
    s.records += file.records;
    if (file.problems.length > 0) s.filesWithProblems += 1;
    if (file.loadedAt > s.lastLoadedAt) s.lastLoadedAt = file.loadedAt;
    bySource.set(file.folder, s);
  }
  const sources = [...bySource.values()].sort((a, b) =>
    a.lastLoadedAt < b.lastLoadedAt ? 1 : a.lastLoadedAt > b.lastLoadedAt ? -1 : a.source < b.source ? -1 : 1,
  );
  const counts = await eventCounts(trail);
  const lastMs = counts.last === null ? null : Number(counts.last);
  return {
    lake: trail.location,
    sources: sources.slice(0, MAX_STATUS_SOURCES),
    sourcesTotal: sources.length,
    events: Number(counts.events),
    principals: Number(counts.principals),
    eventSources: Number(counts.services),
    firstEventTime: counts.first === null ? null : new Date(Number(counts.first)).toISOString(),
    lastEventTime: lastMs === null ? null : new Date(lastMs).toISOString(),
    dataAgeDays: lastMs === null ? null : Math.round(((now.getTime() - lastMs) / 86_400_000) * 10) / 10,
  };
}

interface CountsRow extends Record<string, unknown> {
  events: number | bigint;
  principals: number | bigint;
  services: number | bigint;
  first: number | bigint | null;
  last: number | bigint | null;
}

async function eventCounts(trail: TrailLake): Promise<CountsRow> {
  const none: CountsRow = { events: 0, principals: 0, services: 0, first: null, last: null };
  const parts = await trail.parts();
  if (parts.length === 0) return none;
  const db = await DuckDb.open(":memory:");
  try {
    const row = await db.one<CountsRow>(
      `SELECT count(*) AS events, count(DISTINCT principal) AS principals,
              count(DISTINCT split_part(event_key, ':', 1)) AS services, min(t) AS first, max(t) AS last
       FROM (${eventsCte(duckdbDialect, trailPartsSql(parts))}) AS e`,
    );
    return row ?? none;
  } finally {
    db.close();
  }
}
