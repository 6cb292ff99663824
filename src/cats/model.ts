/**
 * The canonical model of municipal cat data (documented in docs/data-model.md).
 * Categories follow the Shelter Animals Count basic data matrix, so that live-release rate,
 * euthanasia rate and return-to-field counts are computed the standard way.
 */

export const DATASETS = ["intakes", "outcomes", "tnr", "complaints", "aggregates", "sightings"] as const;
export type Dataset = (typeof DATASETS)[number];

export const INTAKE_TYPES = [
  "stray",
  "owner_surrender",
  "seized",
  "born_in_care",
  "return",
  "transfer_in",
  "other",
] as const;
export type IntakeType = (typeof INTAKE_TYPES)[number];

export const OUTCOME_TYPES = [
  "adoption",
  "return_to_owner",
  "transfer_out",
  "return_to_field",
  "euthanasia",
  "died_in_care",
  "lost",
  "other",
] as const;
export type OutcomeType = (typeof OUTCOME_TYPES)[number];

/** Live outcomes in the Shelter Animals Count sense. */
export const LIVE_OUTCOMES: ReadonlySet<OutcomeType> = new Set([
  "adoption",
  "return_to_owner",
  "transfer_out",
  "return_to_field",
]);

export type Sex = "male" | "female" | "unknown";
export type AgeClass = "adult" | "kitten" | "unknown";

/** Fields every canonical record carries. */
export interface RecordBase {
  /** 全国地方公共団体コード (6 digits with check digit) for Japan, or a stable slug elsewhere (e.g. `us-tx-austin`). */
  municipality: string;
  /** Fiscal year, named by the calendar year it starts in (FY2023 = Apr 2023–Mar 2024 in Japan). */
  fiscalYear: number;
  /** Which upload (job) the record came from, for lineage. */
  sourceJob: string;
  /** Row number in the source file (1-based, header excluded). */
  sourceRow: number;
}

export interface IntakeRecord extends RecordBase {
  animalId: string;
  /** ISO 8601 local date-time of intake, no zone (shelter-local time). */
  intakeAt: string;
  intakeType: IntakeType;
  intakeTypeOriginal: string;
  condition: string | null;
  ageDays: number | null;
  ageClass: AgeClass;
  sex: Sex;
  altered: boolean | null;
  foundLocation: string | null;
}

export interface OutcomeRecord extends RecordBase {
  animalId: string;
  outcomeAt: string;
  outcomeType: OutcomeType;
  outcomeTypeOriginal: string;
  outcomeSubtypeOriginal: string | null;
  daysInShelter: number | null;
}

export interface TnrRecord extends RecordBase {
  operatedOn: string;
  area: string | null;
  sex: Sex;
  count: number;
  /** Subsidy in the municipality's currency (JPY in Japan). */
  subsidyAmount: number | null;
}

export interface ComplaintRecord extends RecordBase {
  /** Date of the complaint, or the first day of its reporting period when only a period is known. */
  receivedOn: string;
  periodEnd: string | null;
  category: string;
  area: string | null;
  location: string | null;
}

export interface AggregateRecord extends RecordBase {
  region: string;
  metric: string;
  value: number;
}

export interface DatasetRecordMap {
  intakes: IntakeRecord;
  outcomes: OutcomeRecord;
  tnr: TnrRecord;
  complaints: ComplaintRecord;
  aggregates: AggregateRecord;
  sightings: RecordBase & { seenAt: string; location: string | null; note: string | null };
}

/**
 * Canonical complaint categories. Uploads map their own labels (糞尿被害, "noise", …) onto these;
 * `ComplaintRecord.category` holds one of them, or a source's own label when it has no equivalent.
 */
export const COMPLAINT_CATEGORIES = [
  "feces_urine",
  "noise",
  "feeding",
  "garbage",
  "trespass",
  "injured_or_dead",
  "hoarding",
  "other",
] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
