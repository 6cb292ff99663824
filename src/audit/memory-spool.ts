import type { AuditSpool, SpoolEntry, SpoolSegment } from "./audit-spool.js";

/** The spool in memory: nothing survives the process (tests, and trails without a data directory). */
interface Segment {
  id: string;
  entries: SpoolEntry[];
}

export class MemorySpool implements AuditSpool {
  private sealed: Segment[] = [];
  private open: Segment | undefined;
  private next = 0;

  constructor(private readonly maxSegmentRecords = 500) {}

  get size(): number {
    return this.sealed.reduce((n, s) => n + s.entries.length, 0) + (this.open?.entries.length ?? 0);
  }

  async append(entries: readonly SpoolEntry[]): Promise<void> {
    for (const entry of entries) {
      if (!this.open || this.open.entries.length >= this.maxSegmentRecords) this.roll();
      this.open?.entries.push(entry);
    }
  }

  async seal(): Promise<SpoolSegment[]> {
    if (this.open && this.open.entries.length > 0) this.sealed.push(this.open);
    this.open = undefined;
    return [...this.sealed];
  }

  async delivered(segment: SpoolSegment, entries: readonly SpoolEntry[]): Promise<void> {
    const done = new Set(entries);
    const target = this.sealed.find((s) => s.id === segment.id);
    if (!target) return;
    target.entries = target.entries.filter((e) => !done.has(e));
    if (target.entries.length === 0) this.sealed = this.sealed.filter((s) => s !== target);
  }

  async dropOldest(count: number): Promise<number> {
    let dropped = 0;
    for (const segment of [...this.sealed, ...(this.open ? [this.open] : [])]) {
      const n = Math.min(count - dropped, segment.entries.length);
      segment.entries.splice(0, n);
      dropped += n;
      if (dropped >= count) break;
    }
    this.sealed = this.sealed.filter((s) => s.entries.length > 0);
    return dropped;
  }

  async close(): Promise<void> {}

  private roll(): void {
    if (this.open && this.open.entries.length > 0) this.sealed.push(this.open);
    this.next += 1;
    this.open = { id: String(this.next), entries: [] };
  }
}
