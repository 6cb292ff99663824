import type { Lake } from "../lake/lake.js";
import type { Breakdown, MartFilter } from "./build-read-sql.js";
import type { MartName } from "./marts.js";
import type { Period, SourceDataset } from "./sql-parts.js";

/**
 * The warehouse (the Redshift role): marts computed from the lake, rebuilt after each load, read by
 * the API, the dashboard and `catdata marts show`. One interface, one file per implementation
 * (`duckdb-warehouse.ts`, the default; `postgres-warehouse.ts` for Postgres or Redshift); `index.ts`
 * chooses from the configuration.
 */
export interface Warehouse {
  readonly kind: "duckdb" | "postgres";
  /** Reads the lake's committed parts and replaces every mart at once; readers see the old marts until then. */
  rebuild(lake: Lake): Promise<RebuildSummary>;
  /** Runs a read-only SQL query over the marts with bound parameters (`$1`, `$2`, …). */
  query(sql: string, params?: readonly (string | number | boolean | null)[]): Promise<Record<string, unknown>[]>;
  /** One row per municipality × month or fiscal year, in key order; [] before the first rebuild. */
  kpis(filter: KpiFilter): Promise<KpiRow[]>;
  /** Counts by intake type, outcome type or complaint category; [] before the first rebuild. */
  breakdown(filter: BreakdownFilter): Promise<BreakdownRow[]>;
  close(): Promise<void>;
}

export interface KpiFilter extends MartFilter {
  period: Period;
}

export interface BreakdownFilter extends MartFilter {
  breakdown: Breakdown;
  period: Period;
}

export interface RebuildSummary {
  kind: Warehouse["kind"];
  /** The marts file, or the schema and server (without credentials). */
  target: string;
  builtAt: string;
  durationMs: number;
  /** Rows read from each lake dataset. */
  sources: Record<SourceDataset, number>;
  /** Rows written to each mart. */
  marts: Record<MartName, number>;
}

/** A row of `mart_kpi_month` (with `month`) or `mart_kpi_fiscal_year`; see marts.ts for each figure. */
export interface KpiRow {
  municipality: string;
  fiscalYear: number;
  month?: string;
  intakes: number;
  intakesKitten: number;
  intakesAdult: number;
  outcomes: number;
  liveOutcomes: number;
  adoptions: number;
  returnsToOwner: number;
  transfersOut: number;
  returnToField: number;
  euthanasia: number;
  diedInCare: number;
  liveReleaseRate: number | null;
  euthanasiaRate: number | null;
  medianStayDays: number | null;
  staysMeasured: number;
  tnrOperations: number;
  tnrSubsidy: number | null;
  complaints: number;
  /** Fiscal years only: 'records' | 'aggregates' | 'both→records' | 'mixed' (docs/warehouse.md, "Aggregates"). */
  basis?: string;
  /** Fiscal years only: the source datasets whose figures came from aggregates, space-separated. */
  basisAggregates?: string;
}

/** A row of a by-type mart: `type` is the intake type, outcome type or complaint category. */
export interface BreakdownRow {
  municipality: string;
  periodType: Period;
  period: string;
  fiscalYear: number;
  type: string;
  /** Age class (intakes) or outcome group live/other (outcomes); null for complaints. */
  group: string | null;
  count: number;
}

export const BREAKDOWN_FIELDS: Record<Breakdown, { type: string; group: string | null; count: string }> = {
  intakes: { type: "intake_type", group: "age_class", count: "intakes" },
  outcomes: { type: "outcome_type", group: "outcome_group", count: "outcomes" },
  complaints: { type: "category", group: null, count: "complaints" },
};

export function toBreakdownRow(breakdown: Breakdown, row: Record<string, unknown>): BreakdownRow {
  const f = BREAKDOWN_FIELDS[breakdown];
  return {
    municipality: row.municipality as string,
    periodType: row.period_type as Period,
    period: row.period as string,
    fiscalYear: row.fiscal_year as number,
    type: row[f.type] as string,
    group: f.group === null ? null : (row[f.group] as string),
    count: row[f.count] as number,
  };
}
