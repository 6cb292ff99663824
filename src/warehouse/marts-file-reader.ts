import path from "node:path";
import { DuckDBInstance, type DuckDBValue, type DuckDBInstance as Instance } from "@duckdb/node-api";
import { CatdataError } from "../errors.js";
import { VerifiedFiles } from "../local/verified-files.js";
import { type PointerEntry, readPointer, readPointerEntry } from "./marts-pointer.js";

/**
 * Reads the current marts file READ_ONLY, so any number of processes (the server, the CLI) read
 * while another builds the next file: none ever holds a write lock on a file others read. One
 * read-only instance per file name is kept open and shared by concurrent queries; once the pointer
 * has moved on, the next query closes the old instance (when no query still uses it). If the file named by the
 * pointer vanished between reading the pointer and opening it (a rebuild removed it), the query is
 * retried once on the new pointer.
 *
 * Before each query the file is checked against the digest its pointer recorded at publish time
 * (hashed once per file version, then one `stat`): a marts file whose bytes changed is never read —
 * its instance is closed and the query fails with INTEGRITY, saying to rebuild the marts.
 */
interface OpenFile {
  instance: Promise<Instance>;
  active: number;
}

export class MartsFileReader {
  private readonly files = new Map<string, OpenFile>();
  private readonly checked = new VerifiedFiles();

  constructor(private readonly dir: string) {}

  /** Rows of `sql` on the current marts file, or null when no marts have been built yet. */
  async all(sql: string, params: readonly DuckDBValue[] = []): Promise<Record<string, unknown>[] | null> {
    for (let attempt = 0; ; attempt++) {
      const entry = await readPointerEntry(this.dir);
      if (entry === null) return null;
      try {
        await this.verify(entry);
        return await this.run(entry.name, sql, [...params]);
      } catch (error) {
        if (attempt > 0 || (await readPointer(this.dir)) === entry.name) throw error;
      }
    }
  }

  private async verify({ name, digest }: PointerEntry): Promise<void> {
    if (digest === undefined) return;
    const check = await this.checked.check(path.join(this.dir, name), digest);
    if (check.ok || check.actual === "missing") return; // a vanished file: opening it fails, and is retried
    const file = this.files.get(name);
    if (file && file.active === 0) {
      this.files.delete(name);
      void file.instance.then((instance) => instance.closeSync()).catch(() => undefined);
    }
    throw new CatdataError(
      "INTEGRITY",
      `marts file ${name} does not match the checksum recorded when it was built (sha256 ${digest.sha256.slice(0, 12)}…, ${digest.size} bytes); it is not read`,
      { hint: "run `catdata marts rebuild` (the marts are rebuilt from the lake)" },
    );
  }

  private async run(name: string, sql: string, params: DuckDBValue[]): Promise<Record<string, unknown>[]> {
    this.retireOthers(name);
    const file = this.files.get(name) ?? this.openFile(name);
    file.active += 1;
    try {
      const connection = await (await file.instance).connect();
      try {
        return (await connection.runAndReadAll(sql, params)).getRowObjectsJson() as Record<string, unknown>[];
      } finally {
        connection.closeSync();
      }
    } finally {
      file.active -= 1;
    }
  }

  private openFile(name: string): OpenFile {
    const file: OpenFile = {
      instance: DuckDBInstance.create(path.join(this.dir, name), { access_mode: "READ_ONLY" }),
      active: 0,
    };
    this.files.set(name, file);
    // A file that failed to open (removed, unreadable) is forgotten, so the next query tries again.
    file.instance.catch(() => {
      if (this.files.get(name) === file) this.files.delete(name);
    });
    return file;
  }

  /** Closes idle instances of files other than `current`. */
  private retireOthers(current: string | null): void {
    for (const [name, file] of this.files) {
      if (name === current || file.active > 0) continue;
      this.files.delete(name);
      void file.instance.then((instance) => instance.closeSync()).catch(() => undefined);
    }
  }

  close(): void {
    this.retireOthers(null);
  }
}
