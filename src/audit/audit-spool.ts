import type { AuditRecord } from "./record.js";
import type { UndigestedLog } from "./trail-writer.js";

/**
 * Where audit records wait between their request and their delivery into the trail. `append`
 * resolves once the records would survive the process being killed (the file spool: appended and
 * fsync'd; the memory spool: never — it is for tests and for runs without a data directory).
 * Records are kept in segments of at most `maxSegmentRecords` (one log file each): the recorder
 * `seal`s the open segment, delivers each sealed one and tells the spool what it `delivered`.
 * Records spooled by a process that crashed are sealed segments of the next one, delivered at
 * its start-up: at least once (a crash between a delivery and its `delivered` repeats that file;
 * readers dedupe by `eventID`, as with CloudTrail's own files).
 */
export interface SpoolEntry {
  record: AuditRecord;
  /** When the record entered the spool (ms since the epoch): for the delivery lag. */
  at: number;
}

export interface SpoolSegment {
  readonly id: string;
  /** The entries not yet delivered, oldest first. */
  readonly entries: readonly SpoolEntry[];
}

export interface AuditSpool {
  /** Entries waiting, in every segment. */
  readonly size: number;
  append(entries: readonly SpoolEntry[]): Promise<void>;
  /** Closes the open segment; returns every sealed segment, oldest first. */
  seal(): Promise<SpoolSegment[]>;
  /** Drops delivered entries of a segment; a segment left empty is removed. */
  delivered(segment: SpoolSegment, entries: readonly SpoolEntry[]): Promise<void>;
  /** Drops up to `count` of the oldest entries (the spool is over its bound); returns how many. */
  dropOldest(count: number): Promise<number>;
  close(): Promise<void>;
  /** Kept beside the records: the log files delivered since the last digest (a durable spool only). */
  readonly undigested?: UndigestedLog;
}

/** Records per segment when not told: the recorder's records per log file. */
export const DEFAULT_SEGMENT_RECORDS = 500;
