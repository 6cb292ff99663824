import type { Dataset } from "../cats/model.js";
import { badInput } from "../errors.js";
import { isLive } from "../lake/catalog-state.js";
import type { CatalogState, CorrectionEntry, Lake } from "../lake/lake.js";
import { isJobId } from "./job-log.js";

/**
 * Loads and their corrections, as the catalog records them (docs/data-model.md, "Corrections"): the
 * live loads (jobs whose parts the lake lists), the retired ones (replaced or retracted, their parts
 * kept), and the history of every replace and retract. Shared by `catdata loads` and GET /loads.
 */
export interface LoadSummary {
  jobId: string;
  municipality: string | null;
  mapping: string | null;
  committedAt: string;
  /** "live", or how it left the catalog. */
  state: "live" | "replaced" | "retracted";
  /** The job that replaced it (state "replaced"). */
  replacedBy: string | null;
  retiredAt: string | null;
  /** Parts per dataset: listed (live) or kept aside (retired). */
  parts: Partial<Record<Dataset, number>>;
}

export interface LoadHistory {
  loads: LoadSummary[];
  history: CorrectionEntry[];
}

/** Every committed load, newest first, with the corrections; `municipality` narrows both (staff see their own). */
export function loadHistory(state: CatalogState, municipality?: string): LoadHistory {
  const loads: LoadSummary[] = Object.entries(state.jobs).map(([jobId, s]) => {
    const retired = state.retired[jobId];
    const parts: Partial<Record<Dataset, number>> = {};
    if (retired) {
      for (const [d, files] of Object.entries(retired.files)) parts[d as Dataset] = files.length;
    } else {
      for (const [d, t] of Object.entries(state.tables)) {
        const n = t.files.filter((f) => f.jobId === jobId).length;
        if (n > 0) parts[d as Dataset] = n;
      }
    }
    return {
      jobId,
      municipality: s.municipality,
      mapping: s.mapping ?? null,
      committedAt: s.committedAt,
      state: isLive(state, jobId) ? "live" : retired?.by ? "replaced" : "retracted",
      replacedBy: retired?.by ?? null,
      retiredAt: retired?.at ?? null,
      parts,
    };
  });
  const mine = (jobId: string) => municipality === undefined || state.jobs[jobId]?.municipality === municipality;
  return {
    loads: loads.filter((l) => mine(l.jobId)).sort((a, b) => b.committedAt.localeCompare(a.committedAt)),
    history: state.history.filter((h) => mine(h.jobId)),
  };
}

/** Checks a job id given to retract or replace: 20 hex digits. */
export function checkJobId(jobId: string): string {
  if (!isJobId(jobId)) {
    throw badInput(
      `${JSON.stringify(jobId)} is not a job id`,
      "give the 20-hex-digit id that `catdata loads history` or `catdata jobs` lists",
    );
  }
  return jobId;
}

/**
 * Retracts a load in one catalog commit (its parts leave the catalog and are kept, a history entry
 * is added), then asks for the marts to be rebuilt. Undo: upload the file again with `--replaces <jobId>`.
 */
export async function retractLoad(
  services: { lake: Pick<Lake, "retractJob">; afterChange?: () => Promise<unknown> },
  jobId: string,
): Promise<CorrectionEntry> {
  const state = await services.lake.retractJob(checkJobId(jobId));
  await services.afterChange?.();
  const entry = state.history.at(-1);
  if (!entry) throw new Error("the retract left no history entry");
  return entry;
}
