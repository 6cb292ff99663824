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
  /** The source's own subtype of the intake (Sonoma `COMM CAT`, `BORN_HERE`), as written. */
  intakeSubtypeOriginal?: string | null;
  /** The source's id of this one shelter stay (Sonoma `Impound Number`), shared by its intake and outcome. */
  stayId?: string | null;
  /** The service jurisdiction the source assigns (Sonoma `Intake Jurisdiction`: COUNTY, SANTA ROSA, …). */
  jurisdiction?: string | null;
}

export interface OutcomeRecord extends RecordBase {
  animalId: string;
  outcomeAt: string;
  outcomeType: OutcomeType;
  outcomeTypeOriginal: string;
  outcomeSubtypeOriginal: string | null;
  daysInShelter: number | null;
  /** The source's id of this one shelter stay (Sonoma `Impound Number`), shared by its intake and outcome. */
  stayId?: string | null;
  /** The service jurisdiction of the outcome (Sonoma `Outcome Jurisdiction`). */
  jurisdiction?: string | null;
  /** Where the animal went, as coarse as the source gives it: a ZIP code (Sonoma `Location`), suburb, ward. */
  area?: string | null;
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
  /** The source's own label(s) for the complaint, as written (Brisbane `Cat / Wandering`). */
  categoryOriginal?: string | null;
  /** Always 'cat' for a loaded complaint: the mapping declared how species is known. */
  species?: string | null;
  /** The source's request / case number, when it has one. */
  requestId?: string | null;
}

export interface AggregateRecord extends RecordBase {
  /** The geography the count covers: a state (`NSW`), or the country (`AU`, `JP`) for national totals. */
  region: string;
  /** snake_case, species first: `cats_rehomed`, `dogs_and_cats_euthanized` (see docs/data-model.md). */
  metric: string;
  value: number;
  /** `cat`, or `dog_and_cat` when the source does not split the two species. */
  species?: AggregateSpecies | null;
  /** The Shelter Animals Count outcome the metric counts, when it counts one (RSPCA `Rehomed` → adoption). */
  outcomeType?: OutcomeType | null;
  /** The source's own label or text for the figure (RSPCA `Rehomed`, 環境省 「…殺処分数」). */
  metricOriginal?: string | null;
}

export const AGGREGATE_SPECIES = ["cat", "dog_and_cat"] as const;
export type AggregateSpecies = (typeof AGGREGATE_SPECIES)[number];

/** What a sighting report says about the cat: lost by its owner, found (alive or dead), or up for adoption. */
export const SIGHTING_REPORT_TYPES = ["lost", "found", "found_dead", "adoptable"] as const;
export type SightingReportType = (typeof SIGHTING_REPORT_TYPES)[number];

export interface SightingRecord extends RecordBase {
  /** When the cat was seen, lost, found or received (shelter-local, no zone). */
  seenAt: string;
  /** Street-level location as published (King County publishes obfuscated block addresses). */
  location: string | null;
  note: string | null;
  reportType?: SightingReportType | null;
  reportTypeOriginal?: string | null;
  animalId?: string | null;
  /** City, suburb or ZIP code. */
  area?: string | null;
}

export interface DatasetRecordMap {
  intakes: IntakeRecord;
  outcomes: OutcomeRecord;
  tnr: TnrRecord;
  complaints: ComplaintRecord;
  aggregates: AggregateRecord;
  sightings: SightingRecord;
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
  /** A cat wandering onto others' property (Brisbane `Wandering`). */
  "roaming",
  /** A request to borrow or set a cat trap (Brisbane `Cat Trapping`). */
  "trapping",
] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
