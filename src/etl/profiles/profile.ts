import type { Dataset, DatasetRecordMap } from "../../cats/model.js";

/**
 * A declarative-first mapping profile: how one kind of municipal file becomes canonical records.
 * `match` scores a file by its headers (and name); `mapRow` turns one row into zero or more records
 * (Sonoma's one row holds both an intake and an outcome), or skips it (not a cat) or rejects it
 * with a reason (quarantine).
 */
export interface RowContext {
  municipality: string;
  fiscalYearStartMonth: number;
  jobId: string;
  fileName: string;
  row: number;
  /**
   * The fiscal-year start of another municipality a row names (the deployment's directory,
   * CATDATA_MUNICIPALITIES_FILE included); undefined when the code is not known. Omitted: the
   * built-in table (src/cats/municipalities.ts).
   */
  fiscalYearStartOf?: ((code: string) => number | undefined) | undefined;
}

export type MappedRecord = { [D in Dataset]: { dataset: D; record: DatasetRecordMap[D] } }[Dataset];

export interface SpeciesFilter {
  header: string;
  accepts(raw: string): boolean;
}

export type MapResult =
  | { kind: "records"; records: MappedRecord[] }
  | {
      kind: "skip";
      reason: string /** What the row is instead (its species cell, a request type…), for the job's summary. */;
      label?: string;
    }
  | { kind: "reject"; reason: string };

export interface MappingProfile {
  name: string;
  description: string;
  datasets: Dataset[];
  /** Municipality used when the upload does not name one. */
  defaultMunicipality?: string;
  /** Overrides the municipality's own fiscal-year start (1–12). */
  fiscalYearStartMonth?: number;
  /** 0 (no match) … 1 (certain), from the file's headers and name. */
  match(headers: string[], fileName: string): number;
  /**
   * The species pre-filter: the header that names the animal's species and how to recognise a cat
   * in its raw cell. A row it does not accept is counted as skipped (not a cat) before `mapRow`
   * runs or anything is built for it. `mapRow` must still skip such rows on its own.
   */
  speciesFilter?: SpeciesFilter;
  /** Maps one row; `context` is only valid during the call (the pipeline reuses it). */
  mapRow(values: Record<string, string>, context: RowContext): MapResult;
  /** A key that identifies the same real-world record twice (dedup within and across uploads). */
  dedupKey?(record: MappedRecord): string;
}

/** Fraction of `required` headers present (case- and space-insensitive). */
export function headerScore(headers: string[], required: string[]): number {
  const norm = (h: string) => h.toLowerCase().replace(/[\s_]+/g, "");
  const have = new Set(headers.map(norm));
  return required.filter((r) => have.has(norm(r))).length / required.length;
}
