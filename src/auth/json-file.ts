import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../local/atomic-write.js";
import { withFileLock } from "../local/file-lock.js";
import { KeyedQueue } from "../local/key-queue.js";

/**
 * A small JSON document on disk (users, refresh tokens, sign-in failures): read whole, changed in
 * memory and written atomically (`writeFileAtomic`, mode 0600). Updates are serialised per file by
 * the queue its owner passes (the local user pool owns one for its three files) and, against other
 * processes on the same data directory (the CLI beside the server), by a lock file beside it.
 */
export class JsonFile<T> {
  constructor(
    readonly file: string,
    private readonly empty: () => T,
    private readonly queue: KeyedQueue = new KeyedQueue(),
  ) {}

  async read(): Promise<T> {
    try {
      return JSON.parse(await readFile(this.file, "utf8")) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return this.empty();
      throw new Error(`cannot read ${this.file}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Runs `change` on the current value (mutating it) and writes it back; returns what `change` returns. */
  update<R>(change: (value: T) => R | Promise<R>): Promise<R> {
    return this.queue.run(this.file, () =>
      withFileLock(
        `${this.file}.lock`,
        async () => {
          const value = await this.read();
          const result = await change(value);
          await writeFileAtomic(this.file, JSON.stringify(value, null, 2));
          return result;
        },
        { timeoutMs: 10_000, staleMs: 60_000, pollMs: 10, what: "the user pool" },
      ),
    );
  }
}
