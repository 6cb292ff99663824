/**
 * Runs tasks one at a time per key, in the order they were queued, inside this process (different
 * keys run concurrently). Owned by the object that needs it — never a module-level map — so two
 * stores in one process do not share a queue by accident. Pair it with `withFileLock` where other
 * processes share the same files.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running. */
  get size(): number {
    return this.tails.size;
  }
}
