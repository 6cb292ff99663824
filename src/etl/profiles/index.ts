import { badInput } from "../../errors.js";
import { austinIntakes } from "./austin-intakes.js";
import { brisbaneComplaints } from "./brisbane-complaints.js";
import { catdataTemplates } from "./catdata-template.js";
import { japanMoeEuthanasia } from "./japan-moe-euthanasia.js";
import { kingCountyLostFound } from "./king-county-lost-found.js";
import type { MappingProfile } from "./profile.js";
import { rspcaOutcomes } from "./rspca-outcomes.js";
import { sonomaShelter } from "./sonoma-shelter.js";

/** Every shipped mapping profile. `catdata ingest --profile <name>` picks one; otherwise the best match wins. */
export const PROFILES: MappingProfile[] = [
  austinIntakes,
  sonomaShelter,
  brisbaneComplaints,
  rspcaOutcomes,
  japanMoeEuthanasia,
  kingCountyLostFound,
  ...catdataTemplates,
];

export function getProfile(name: string): MappingProfile {
  const profile = PROFILES.find((p) => p.name === name);
  if (!profile) {
    throw badInput(
      `no mapping profile named ${JSON.stringify(name)}`,
      `choose one of: ${PROFILES.map((p) => p.name).join(", ")}`,
    );
  }
  return profile;
}

/** The best-matching profile for a file's headers, or an error that lists what the file has. */
export function detectProfile(headers: string[], fileName: string): MappingProfile {
  const scored = PROFILES.map((p) => ({ p, score: p.match(headers, fileName) })).sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (!best || best.score < 0.75) {
    throw badInput(
      `no mapping profile matches ${fileName} (headers: ${headers.slice(0, 12).join(", ")}${headers.length > 12 ? ", …" : ""})`,
      `name one with --profile (${PROFILES.map((p) => p.name).join(", ")}), or get a proposed mapping with \`catdata suggest-mapping <file>\``,
    );
  }
  return best.p;
}
