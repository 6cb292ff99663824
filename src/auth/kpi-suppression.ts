import type { KpiRow } from "../warehouse/warehouse.js";
import { suppressSmallCells } from "./suppression.js";

/**
 * Minimum-cell suppression of a KPI row (mart_kpi_month / mart_kpi_fiscal_year) for a reader who may
 * not see the municipality's exact counts. The counts that add up to a total are suppressed as one
 * group each (suppression.ts: primary, complementary, secondary), so no figure can be recovered by
 * subtraction: intakes = kitten + adult + unknown age; outcomes = adoptions + returns to owner +
 * transfers out + return to field + euthanasia + died in care + other outcomes. A derived figure is
 * shown only when every count it is made of is shown: live outcomes (its four live kinds), the rates
 * (their numerator and outcomes), the subsidy (the TNR count). A median stay is shown only when at
 * least `minCell` stays were measured, since a median of few cats is one cat's stay. A zero is shown
 * (no animal is singled out by "none"); zero parts take no part in a group's decisions.
 */
export type KpiCount =
  | "intakes"
  | "intakesKitten"
  | "intakesAdult"
  | "outcomes"
  | "liveOutcomes"
  | "adoptions"
  | "returnsToOwner"
  | "transfersOut"
  | "returnToField"
  | "euthanasia"
  | "diedInCare"
  | "staysMeasured"
  | "tnrOperations"
  | "complaints";
export type KpiDerived = "liveReleaseRate" | "euthanasiaRate" | "medianStayDays" | "tnrSubsidy";
export type KpiFigure = KpiCount | KpiDerived;

export type SuppressedKpiRow = Omit<KpiRow, KpiFigure> & { [K in KpiCount]: number | null } & {
  [K in KpiDerived]: number | null;
} & {
  /** The figures withheld from this reader (null above); [] when the row is exact. */
  suppressed: KpiFigure[];
};

const LIVE: readonly KpiCount[] = ["adoptions", "returnsToOwner", "transfersOut", "returnToField"];
const OUTCOME_PARTS: readonly KpiCount[] = [...LIVE, "euthanasia", "diedInCare"];

/** The row unchanged (nothing suppressed): a reader who sees the municipality's exact counts. */
export function exactKpiRow(row: KpiRow): SuppressedKpiRow {
  return { ...row, suppressed: [] };
}

export function suppressKpiRow(row: KpiRow, minCell: number): SuppressedKpiRow {
  const hidden = new Set<KpiFigure>();
  const small = (n: number) => n > 0 && n < minCell;
  // A group: its named parts plus the remainder (total − parts, never shown but counted as a cell).
  const group = (total: KpiCount, parts: readonly KpiCount[]) => {
    if (small(row[total])) hidden.add(total);
    const rest = row[total] - parts.reduce((s, p) => s + row[p], 0);
    const cells = [
      ...parts.map((p) => ({ figure: p as KpiCount | null, n: row[p] })),
      { figure: null, n: rest },
    ].filter((c) => c.n > 0);
    const decided = suppressSmallCells(cells, { minCell, exact: () => false, group: () => total });
    for (const cell of decided) if (cell.suppressed && cell.figure) hidden.add(cell.figure);
    if (hidden.has(total)) for (const p of parts) hidden.add(p);
  };
  group("intakes", ["intakesKitten", "intakesAdult"]);
  group("outcomes", OUTCOME_PARTS);
  for (const single of ["tnrOperations", "complaints", "staysMeasured"] as const) {
    if (small(row[single])) hidden.add(single);
  }
  if (LIVE.some((p) => hidden.has(p)) || hidden.has("outcomes")) hidden.add("liveOutcomes");
  if (hidden.has("liveOutcomes")) hidden.add("liveReleaseRate");
  if (hidden.has("euthanasia") || hidden.has("outcomes")) hidden.add("euthanasiaRate");
  if (hidden.has("staysMeasured")) hidden.add("medianStayDays");
  if (hidden.has("tnrOperations")) hidden.add("tnrSubsidy");
  const out: Record<string, unknown> = { ...row };
  for (const figure of hidden) out[figure] = null;
  const order: readonly KpiFigure[] = [
    "intakes",
    "intakesKitten",
    "intakesAdult",
    "outcomes",
    "liveOutcomes",
    ...OUTCOME_PARTS,
    "liveReleaseRate",
    "euthanasiaRate",
    "medianStayDays",
    "staysMeasured",
    "tnrOperations",
    "tnrSubsidy",
    "complaints",
  ];
  return { ...(out as Omit<SuppressedKpiRow, "suppressed">), suppressed: order.filter((f) => hidden.has(f)) };
}
