import { DATASETS, type Dataset } from "../cats/model.js";
import { DATE_COLUMN, SCHEMAS } from "../cats/schema.js";
import { ident } from "../duckdb/duckdb.js";

/**
 * Pure SQL builders for the `/cats` API: every user value is a bound parameter, every identifier
 * comes from the schema (never from the request).
 */
export interface CatsFilter {
  dataset: Dataset;
  municipality?: string | undefined;
  fiscalYear?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
  type?: string | undefined;
  limit: number;
  offset: number;
}

const TYPE_COLUMN: Partial<Record<Dataset, string>> = {
  intakes: "intake_type",
  outcomes: "outcome_type",
  complaints: "category",
  aggregates: "metric",
};

function where(filter: Omit<CatsFilter, "limit" | "offset">) {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  const add = (sql: string, value: string | number) => {
    params.push(value);
    clauses.push(sql.replace("?", `$${params.length}`));
  };
  const date = ident(DATE_COLUMN[filter.dataset]);
  if (filter.municipality !== undefined) add("municipality = ?", filter.municipality);
  if (filter.fiscalYear !== undefined) add("fiscal_year = ?", filter.fiscalYear);
  if (filter.from !== undefined) add(`${date} >= CAST(? AS TIMESTAMP)`, filter.from);
  if (filter.to !== undefined) add(`${date} < CAST(? AS TIMESTAMP)`, filter.to);
  const typeColumn = TYPE_COLUMN[filter.dataset];
  if (filter.type !== undefined && typeColumn) add(`${ident(typeColumn)} = ?`, filter.type);
  return { sql: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", params };
}

export function buildCatsQuery(filter: CatsFilter) {
  if (!DATASETS.includes(filter.dataset)) throw new Error(`unknown dataset ${filter.dataset}`);
  const w = where(filter);
  const columns = SCHEMAS[filter.dataset].map((c) => ident(c.column)).join(", ");
  const order = [DATE_COLUMN[filter.dataset], "source_job", "source_row"].map(ident).join(", ");
  return {
    sql: `SELECT ${columns} FROM ${ident(filter.dataset)} ${w.sql} ORDER BY ${order} LIMIT ${Math.trunc(filter.limit)} OFFSET ${Math.trunc(filter.offset)}`,
    params: w.params,
  };
}

/** Monthly counts per municipality (the dashboard's first chart), optionally split by type. */
export function buildMonthlyCountsQuery(filter: Omit<CatsFilter, "limit" | "offset">) {
  const w = where(filter);
  const date = ident(DATE_COLUMN[filter.dataset]);
  const typeColumn = TYPE_COLUMN[filter.dataset];
  const type = typeColumn ? ident(typeColumn) : "NULL";
  const count = filter.dataset === "tnr" ? "sum(count)" : "count(*)";
  return {
    sql: `SELECT municipality, strftime(${date}, '%Y-%m') AS month, ${type} AS type, ${count}::INTEGER AS n
          FROM ${ident(filter.dataset)} ${w.sql} GROUP BY ALL ORDER BY municipality, month, type`,
    params: w.params,
  };
}
