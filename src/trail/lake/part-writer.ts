import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { DuckDb, literal } from "../../duckdb/duckdb.js";
import type { TrailEvent } from "../parse/trail-event.js";
import { appendTrailEvent, createTrailTableSql } from "./lake-schema.js";
import type { TrailLake } from "./trail-lake.js";

/**
 * Writes one Parquet part per source file through an in-memory DuckDB: rows go in with the
 * appender (typed values, no JSON round trip or type sniffing, which `read_json` on a temp NDJSON
 * file would need), then `COPY … TO <lake staging>/….tmp`, and the lake takes the finished file
 * over (`putPart`: a rename on disk, an upload to S3), so readers only ever see whole parts.
 */
export class TrailPartWriter {
  private constructor(
    private readonly db: DuckDb,
    private readonly lake: TrailLake,
  ) {}

  static async open(lake: TrailLake): Promise<TrailPartWriter> {
    const db = await DuckDb.open(":memory:");
    await db.run(createTrailTableSql("staged"));
    await mkdir(lake.stagingDir, { recursive: true, mode: 0o700 });
    return new TrailPartWriter(db, lake);
  }

  /** Writes (or rewrites, same content) the part of the file with this sha256. */
  async write(sha256: string, events: readonly TrailEvent[]): Promise<void> {
    const tmp = path.join(this.lake.stagingDir, `part-${sha256}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    const appender = await this.db.connection.createAppender("staged");
    try {
      for (const event of events) appendTrailEvent(appender, event);
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    try {
      await this.db.run(`COPY staged TO ${literal(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
      await this.lake.putPart(sha256, tmp);
    } finally {
      await rm(tmp, { force: true });
      await this.db.run("DELETE FROM staged");
    }
  }

  close(): void {
    this.db.close();
  }
}
