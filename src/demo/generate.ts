/**
 * Deterministic demo data: a few Japanese municipalities over a few fiscal years of shelter intakes
 * and outcomes, TNR surgeries and complaints, as canonical records (model.ts). The same seed gives the
 * same data; each municipality draws from its own sub-seed, so adding one does not change the others.
 */

import { fiscalYearOf, fiscalYearRange } from "../cats/fiscal-year.js";
import type { ComplaintRecord, IntakeRecord, OutcomeRecord, TnrRecord } from "../cats/model.js";
import { getMunicipality } from "../cats/municipalities.js";
import { badInput } from "../errors.js";
import { generateComplaintYear } from "./complaints.js";
import { DEFAULT_DEMO_MUNICIPALITIES, demoProfile, trend } from "./profiles.js";
import { mulberry32, type RandomFactory, subSeed } from "./random.js";
import { generateShelterYear } from "./shelter.js";
import { generateTnrYear } from "./tnr.js";

export interface DemoOptions {
  seed: number;
  /** Municipality codes (municipalities.ts); seven Japanese cities by default. */
  municipalities?: readonly string[];
  fromFiscalYear: number;
  toFiscalYear: number;
  /** The seeded generator to use; mulberry32 by default. */
  random?: RandomFactory;
}

export interface DemoData {
  intakes: IntakeRecord[];
  outcomes: OutcomeRecord[];
  tnr: TnrRecord[];
  complaints: ComplaintRecord[];
}

/** What the server loads on first start: FY2023–FY2025 (令和5–7年度). */
export const DEFAULT_DEMO_OPTIONS: DemoOptions = { seed: 20240401, fromFiscalYear: 2023, toFiscalYear: 2025 };

function check(options: DemoOptions): readonly string[] {
  const { fromFiscalYear: from, toFiscalYear: to } = options;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from > to || to - from > 9) {
    throw badInput(`demo fiscal years ${from}–${to} are not a range of 1 to 10 years`);
  }
  const codes = options.municipalities ?? DEFAULT_DEMO_MUNICIPALITIES;
  for (const code of codes) {
    if (!getMunicipality(code))
      throw badInput(`unknown municipality code "${code}"`, "use a code from municipalities.ts");
  }
  return codes;
}

/** Numbers rows 1..n in order: the demo "job" is one upload per dataset. */
const numbered = <T extends { sourceRow: number }>(records: T[]): T[] => {
  records.forEach((r, i) => {
    r.sourceRow = i + 1;
  });
  return records;
};

export function generateDemoData(options: DemoOptions): DemoData {
  const codes = check(options);
  const factory = options.random ?? mulberry32;
  const data: DemoData = { intakes: [], outcomes: [], tnr: [], complaints: [] };
  for (const code of codes) {
    const startMonth = getMunicipality(code)!.fiscalYearStartMonth;
    const lastDay = fiscalYearRange(options.toFiscalYear, startMonth).end;
    const profile = demoProfile(code);
    const random = factory(subSeed(options.seed, code));
    const outcomes: OutcomeRecord[] = [];
    for (let fiscalYear = options.fromFiscalYear; fiscalYear <= options.toFiscalYear; fiscalYear++) {
      const t = trend(profile.tnr, fiscalYear - options.fromFiscalYear);
      const year = { random, code, profile, trend: t, fiscalYear, startMonth };
      for (const { intake, outcome } of generateShelterYear({ ...year, lastDay })) {
        data.intakes.push(intake);
        if (!outcome) continue;
        outcomes.push({
          municipality: code,
          fiscalYear: fiscalYearOf(outcome.outcomeAt, startMonth),
          sourceJob: "demo",
          sourceRow: 0,
          animalId: intake.animalId,
          outcomeAt: outcome.outcomeAt,
          outcomeType: outcome.type,
          outcomeTypeOriginal: outcome.original,
          outcomeSubtypeOriginal: outcome.subtype,
          daysInShelter: outcome.days,
        });
      }
      data.tnr.push(...generateTnrYear(year));
      data.complaints.push(...generateComplaintYear(year));
    }
    data.outcomes.push(...outcomes.sort((a, b) => a.outcomeAt.localeCompare(b.outcomeAt)));
  }
  return {
    intakes: numbered(data.intakes),
    outcomes: numbered(data.outcomes),
    tnr: numbered(data.tnr),
    complaints: numbered(data.complaints),
  };
}
