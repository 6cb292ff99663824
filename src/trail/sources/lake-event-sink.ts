import { createHash } from "node:crypto";
import { DuckDb } from "../../duckdb/duckdb.js";
import { TrailPartWriter } from "../lake/part-writer.js";
import { trailPartsSql } from "../lake/parts-fingerprint.js";
import type { TrailLake } from "../lake/trail-lake.js";
import type { TrailEvent } from "../parse/trail-event.js";

/**
 * Where API sources (LookupEvents, CloudTrail Lake) put events: the same lake as files, deduplicated
 * by eventID against what the lake already holds in the window and what came earlier in the run.
 * New events are written in parts of up to `partSize`, each named by the sha256 of its sorted event
 * IDs, so re-running the same query writes the same part names and never duplicates rows.
 */
export interface SinkOptions {
  /** Recorded as the manifest's `folder`, e.g. `cloudtrail-lookup://us-east-1`. */
  location: string;
  /** Only lake events in this window are read for deduplication. */
  window?: { startTime: Date; endTime: Date };
  partSize?: number;
  now?: () => Date;
}

export interface SinkSummary {
  eventsLoaded: number;
  /** Events whose eventID was already in the lake (or earlier in this run). */
  duplicates: number;
  parts: number;
}

const sqlTime = (date: Date) => date.toISOString().replace("T", " ").replace("Z", "");

export async function lakeEventIds(lake: TrailLake, window?: SinkOptions["window"]): Promise<Set<string>> {
  const parts = await lake.parts();
  if (parts.length === 0) return new Set();
  const db = await DuckDb.open(":memory:");
  try {
    const sql = `SELECT DISTINCT event_id AS id FROM ${trailPartsSql(parts)}`;
    const rows = window
      ? await db.all<{ id: string }>(`${sql} WHERE event_time BETWEEN $1::TIMESTAMP AND $2::TIMESTAMP`, [
          sqlTime(window.startTime),
          sqlTime(window.endTime),
        ])
      : await db.all<{ id: string }>(sql);
    return new Set(rows.map((r) => r.id));
  } finally {
    db.close();
  }
}

export class LakeEventSink {
  private pending: TrailEvent[] = [];
  private readonly summary: SinkSummary = { eventsLoaded: 0, duplicates: 0, parts: 0 };

  private constructor(
    private readonly lake: TrailLake,
    private readonly options: SinkOptions,
    private readonly seen: Set<string>,
    private readonly writer: TrailPartWriter,
  ) {}

  static async open(lake: TrailLake, options: SinkOptions): Promise<LakeEventSink> {
    const seen = await lakeEventIds(lake, options.window);
    return new LakeEventSink(lake, options, seen, await TrailPartWriter.open(lake));
  }

  async add(event: TrailEvent): Promise<void> {
    if (this.seen.has(event.eventId)) {
      this.summary.duplicates += 1;
      return;
    }
    this.seen.add(event.eventId);
    this.pending.push(event);
    if (this.pending.length >= (this.options.partSize ?? 5_000)) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const events = this.pending.sort((a, b) =>
      `${a.eventTime}\n${a.eventId}` < `${b.eventTime}\n${b.eventId}` ? -1 : 1,
    );
    this.pending = [];
    const sha256 = createHash("sha256")
      .update(`api-events\n${events.map((e) => e.eventId).join("\n")}`)
      .digest("hex");
    await this.writer.write(
      sha256,
      events.map((e, index) => ({ ...e, recordIndex: index })),
    );
    await this.lake.addEntries([
      {
        sourcePath: events[0]?.sourceFile ?? this.options.location,
        folder: this.options.location,
        sha256,
        kind: "log",
        records: events.length,
        problems: [],
        loadedAt: (this.options.now ?? (() => new Date()))().toISOString(),
      },
    ]);
    this.summary.eventsLoaded += events.length;
    this.summary.parts += 1;
  }

  async close(): Promise<SinkSummary> {
    try {
      await this.flush();
    } finally {
      this.writer.close();
    }
    return { ...this.summary };
  }
}
