/**
 * A small Prometheus registry written by hand (the text exposition format 0.0.4): counters and
 * histograms kept in memory, plus collectors that produce samples at scrape time (gauges read from
 * the job log, the trail recorder, the process). Label values are escaped as the format requires.
 */
export type Labels = Record<string, string>;
export type MetricType = "counter" | "gauge" | "histogram";

export interface Sample {
  labels?: Labels;
  value: number;
  /** `_bucket`, `_sum`, `_count` for histograms. */
  suffix?: string;
}

export interface Family {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

export type Collector = () => Family[] | Promise<Family[]>;

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
const escapeHelp = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
const keyOf = (labels: Labels) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
const formatValue = (v: number) =>
  Number.isNaN(v)
    ? "NaN"
    : v === Number.POSITIVE_INFINITY
      ? "+Inf"
      : v === Number.NEGATIVE_INFINITY
        ? "-Inf"
        : String(v);

export function renderFamilies(families: Family[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = Object.entries(s.labels ?? {});
      const text = labels.length ? `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}` : "";
      lines.push(`${f.name}${s.suffix ?? ""}${text} ${formatValue(s.value)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

export class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = keyOf(labels);
    const entry = this.values.get(key) ?? { labels, value: 0 };
    entry.value += by;
    this.values.set(key, entry);
  }

  collect(): Family {
    return { name: this.name, help: this.help, type: "counter", samples: [...this.values.values()] };
  }
}

export class Histogram {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {}

  observe(labels: Labels, value: number): void {
    const key = keyOf(labels);
    const s = this.series.get(key) ?? { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    this.buckets.forEach((le, i) => {
      if (value <= le) s.counts[i] = (s.counts[i] ?? 0) + 1;
    });
    s.sum += value;
    s.count += 1;
    this.series.set(key, s);
  }

  collect(): Family {
    const samples: Sample[] = [];
    for (const s of this.series.values()) {
      this.buckets.forEach((le, i) => {
        samples.push({ suffix: "_bucket", labels: { ...s.labels, le: String(le) }, value: s.counts[i] ?? 0 });
      });
      samples.push({ suffix: "_bucket", labels: { ...s.labels, le: "+Inf" }, value: s.count });
      samples.push({ suffix: "_sum", labels: s.labels, value: s.sum });
      samples.push({ suffix: "_count", labels: s.labels, value: s.count });
    }
    return { name: this.name, help: this.help, type: "histogram", samples };
  }
}

export class MetricsRegistry {
  private readonly collectors: Collector[] = [];

  register(collector: Collector): void {
    this.collectors.push(collector);
  }

  async render(): Promise<string> {
    const families: Family[] = [];
    for (const collect of this.collectors) families.push(...(await collect()));
    return renderFamilies(families);
  }
}
