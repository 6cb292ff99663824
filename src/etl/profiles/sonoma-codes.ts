import type { AgeClass, IntakeType, OutcomeType, Sex } from "../../cats/model.js";

/**
 * Sonoma County Animal Services codes (upper case, as the county's shelter software writes them)
 * and how they map to the Shelter Animals Count categories of model.ts. Intake and outcome
 * subtypes refine a few types; everything is keyed by the upper-cased, trimmed value.
 */

const INTAKE: Record<string, IntakeType> = {
  STRAY: "stray",
  "OWNER SURRENDER": "owner_surrender",
  CONFISCATE: "seized",
  TRANSFER: "transfer_in",
  "ADOPTION RETURN": "return",
  QUARANTINE: "other",
};

/** `STRAY`/`BORN_HERE` is a kitten born in the shelter; a bite `QUARANTINE` keeps its underlying reason. */
export function sonomaIntakeType(type: string, subtype: string): IntakeType | undefined {
  const t = type.toUpperCase();
  const s = subtype.toUpperCase();
  if (t === "STRAY" && s === "BORN_HERE") return "born_in_care";
  if (t === "QUARANTINE") {
    if (s.endsWith("STRAY")) return "stray";
    if (s.endsWith("_OS")) return "owner_surrender";
  }
  return INTAKE[t];
}

const OUTCOME: Record<string, OutcomeType> = {
  ADOPTION: "adoption",
  "RETURN TO OWNER": "return_to_owner",
  TRANSFER: "transfer_out",
  EUTHANIZE: "euthanasia",
  DIED: "died_in_care",
  "ESCAPED/STOLEN": "lost",
  // Dead on arrival (DOA) or disposal of remains: not a live intake's outcome in the SAC matrix.
  DISPOSAL: "other",
};

/**
 * `RETURN TO OWNER` with subtype `COMMCAT` is a community cat returned to where it was found
 * (the county's community-cat programme): Shelter Animals Count's "returned to field".
 */
export function sonomaOutcomeType(type: string, subtype: string): OutcomeType | undefined {
  const t = type.toUpperCase();
  if (t === "RETURN TO OWNER" && subtype.toUpperCase() === "COMMCAT") return "return_to_field";
  return OUTCOME[t];
}

/** `Spayed` is an altered female, `Neutered` an altered male; `Male`/`Female` are intact. */
export function sonomaSex(raw: string): { sex: Sex; altered: boolean | null } {
  switch (raw.trim().toLowerCase()) {
    case "spayed":
      return { sex: "female", altered: true };
    case "neutered":
      return { sex: "male", altered: true };
    case "female":
      return { sex: "female", altered: false };
    case "male":
      return { sex: "male", altered: false };
    default:
      return { sex: "unknown", altered: null };
  }
}

/** `KITTN` size code means a kitten; other sizes say nothing about age. */
export const sonomaSizeAgeClass = (size: string): AgeClass =>
  size.trim().toUpperCase() === "KITTN" ? "kitten" : "unknown";

/** The ZIP code of a `Location` such as `95403(38.48, -122.74)`, or of a bare ZIP. */
export function zipOfLocation(location: string): string | null {
  const m = /^\s*(\d{5}(?:-\d{4})?)\s*(?:\(|$)/.exec(location);
  return m?.[1] ?? null;
}
