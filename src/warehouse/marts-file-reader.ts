import path from "node:path";
import { DuckDBInstance, type DuckDBValue, type DuckDBInstance as Instance } from "@duckdb/node-api";
import { readPointer } from "./marts-pointer.js";

/**
 * Reads the current marts file READ_ONLY, so any number of processes (the server, the CLI) read
 * while another builds the next file: none ever holds a write lock on a file others read. One
 * read-only instance per file name is kept open and shared by concurrent queries; once the pointer
 * has moved on, the next query closes the old instance (when no query still uses it). If the file named by the
 * pointer vanished between reading the pointer and opening it (a rebuild removed it), the query is
 * retried once on the new pointer.
 */
interface OpenFile {
  instance: Promise<Instance>;
  active: number;
}

export class MartsFileReader {
  private readonly files = new Map<string, OpenFile>();

  constructor(private readonly dir: string) {}

  /** Rows of `sql` on the current marts file, or null when no marts have been built yet. */
  async all(sql: string, params: readonly DuckDBValue[] = []): Promise<Record<string, unknown>[] | null> {
    for (let attempt = 0; ; attempt++) {
      const name = await readPointer(this.dir);
      if (name === null) return null;
      try {
        return await this.run(name, sql, [...params]);
      } catch (error) {
        if (attempt > 0 || (await readPointer(this.dir)) === name) throw error;
      }
    }
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
