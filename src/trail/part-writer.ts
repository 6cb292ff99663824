import { mkdir, rename, rm } from "node:fs/promises";
import { DuckDb, literal } from "../sql/duckdb.js";
import { trailPaths } from "./lake-paths.js";
import { appendTrailEvent, createTrailTableSql } from "./lake-schema.js";
import type { TrailEvent } from "./trail-event.js";

/**
 * Writes one Parquet part per source file through an in-memory DuckDB: rows go in with the
 * appender (typed values, no JSON round trip or type sniffing, which `read_json` on a temp NDJSON
 * file would need), then `COPY … TO part-<sha>.parquet.tmp` and a rename, so readers only ever see
 * whole parts.
 */
export class TrailPartWriter {
  private constructor(
    private readonly db: DuckDb,
    private readonly home: string,
  ) {}

  static async open(home: string): Promise<TrailPartWriter> {
    const db = await DuckDb.open(":memory:");
    await db.run(createTrailTableSql("staged"));
    await mkdir(trailPaths(home).events, { recursive: true });
    return new TrailPartWriter(db, home);
  }

  /** Writes (or rewrites, same content) the part of the file with this sha256. */
  async write(sha256: string, events: readonly TrailEvent[]): Promise<string> {
    const part = trailPaths(this.home).part(sha256);
    const tmp = `${part}.${process.pid}.tmp`;
    const appender = await this.db.connection.createAppender("staged");
    try {
      for (const event of events) appendTrailEvent(appender, event);
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    try {
      await this.db.run(`COPY staged TO ${literal(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
      await rename(tmp, part);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    } finally {
      await this.db.run("DELETE FROM staged");
    }
    return part;
  }

  close(): void {
    this.db.close();
  }
}
