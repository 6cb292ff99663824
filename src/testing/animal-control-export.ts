import { chance, mulberry32, pick } from "../demo/random.js";

/**
 * A city's animal-control service-request export (issue 16, "species is never assumed"): request
 * id, type, date, suburb and free-text description, and NO species column. A few rows are about
 * cats, named in varied forms (cat, Cats, kitten, feline, 猫, ネコ, ねこ); many carry trap words that
 * are not cats ("category", "bobcat", "Catherine St", "cattle", "catalog"). Each generated row says
 * whether it was written as a cat (`isCat`), so tests count independently of the code under test.
 */
export const ANIMAL_CONTROL_HEADERS = ["Request ID", "Request Type", "Date Received", "Suburb", "Description"];

export const REQUEST_TYPES = [
  "Dead Animal",
  "Pest Control",
  "Bed Bugs",
  "Lost and Found",
  "Noise",
  "Animal Welfare",
] as const;

export interface AnimalControlRow {
  requestId: string;
  type: (typeof REQUEST_TYPES)[number];
  receivedOn: string;
  suburb: string;
  description: string;
  /** True when the description was written naming a cat. */
  isCat: boolean;
}

const CAT_TEXTS = [
  "Stray cat in the back yard",
  "Two Cats fighting at night",
  "Kitten stuck under a car",
  "kittens abandoned in a box",
  "Injured feline near the school",
  "野良猫が庭に来る",
  "ネコの鳴き声がうるさい",
  "ねこが死んでいる",
  "Dead cat on road (CAT)",
  "neighbour's cat's litter in garden",
];
const OTHER_TEXTS = [
  "Wrong category selected by caller",
  "Bobcat sighting reported on trail",
  "Possum in roof, Catherine St",
  "Cattle loose on the highway",
  "Rats seen near the catalog warehouse",
  "Dead kangaroo on verge",
  "Bed bugs in rental unit",
  "Dog barking all night",
  "Lost dog, brown kelpie",
  "Scatter of rubbish, wildlife attracted",
  "concatenated report, no animal named",
];
const SUBURBS = ["Ashgrove", "Bardon", "Carindale", "Indooroopilly", "Toowong"];

/** `n` seeded rows (mulberry32): about 15% name a cat. */
export function animalControlRows(n = 2000, seed = 16): AnimalControlRow[] {
  const random = mulberry32(seed);
  const rows: AnimalControlRow[] = [];
  for (let i = 0; i < n; i++) {
    const isCat = chance(random, 0.15);
    const type = pick(random, REQUEST_TYPES);
    const day = 1 + Math.floor(random() * 28);
    const month = 1 + Math.floor(random() * 12);
    rows.push({
      requestId: `SR-${String(100000 + i)}`,
      type,
      receivedOn: `2024-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
      suburb: pick(random, SUBURBS),
      description: pick(random, isCat ? CAT_TEXTS : OTHER_TEXTS),
      isCat,
    });
  }
  return rows;
}

const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** The rows as the CSV export (CRLF). */
export const animalControlCsv = (rows: AnimalControlRow[]): string =>
  `${[
    ANIMAL_CONTROL_HEADERS.join(","),
    ...rows.map((r) => [r.requestId, r.type, r.receivedOn, r.suburb, r.description].map(quote).join(",")),
  ].join("\r\n")}\r\n`;

/** A complaints mapping of the export, with the given species section (none: species not declared). */
export function animalControlMapping(species?: unknown): Record<string, unknown> {
  return {
    format: "catdata-mapping/1",
    name: "city-animal-control",
    dataset: "complaints",
    municipality: "au-qld-brisbane",
    columns: {
      receivedOn: "Date Received",
      categoryOriginal: "Request Type",
      area: "Suburb",
      requestId: "Request ID",
    },
    constants: { category: "other" },
    ...(species === undefined ? {} : { species }),
  };
}
