import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/** One queue per file path, shared by every `JsonFile` of the process, so read-modify-write never interleaves. */
const queues = new Map<string, Promise<unknown>>();

/**
 * A small JSON document on disk (users, refresh tokens, sign-in failures): read whole, changed in
 * memory, written to a temporary file and renamed (atomic), mode 0600. Updates in one process are
 * serialised; the CLI and the server changing the same file at the same instant is the accepted race.
 */
export class JsonFile<T> {
  constructor(
    readonly file: string,
    private readonly empty: () => T,
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
    const previous = queues.get(this.file) ?? Promise.resolve();
    const run = previous.then(async () => {
      const value = await this.read();
      const result = await change(value);
      await this.write(value);
      return result;
    });
    queues.set(
      this.file,
      run.catch(() => undefined),
    );
    return run;
  }

  private async write(value: T): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    await writeFile(tmp, JSON.stringify(value, null, 2), { mode: 0o600 });
    await rename(tmp, this.file);
  }
}
