/**
 * Repeating timers, injected so tests drive time (`manualClock` in `testing.ts`). The real ones do
 * not keep the process alive: shutdown calls the recorder's `close()` instead.
 */
export interface Timers {
  /** Calls `fn` every `ms` (a test clock may await what it returns); returns a function that stops it. */
  every(ms: number, fn: () => unknown): () => void;
}

export const realTimers: Timers = {
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};
