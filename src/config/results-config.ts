import { z } from "zod";

/**
 * The byte cap on query and API results: a part of the configuration that `config.ts` composes into
 * its schema (a wrong value fails naming the variable) and exposes as `config.results`. Results are
 * counted while they are serialised (JSON answers, the CSV result files), so a result past the cap is
 * refused with 400 before it is built whole — never a 500 at V8's string limit (about 512 MiB).
 * Documented in `.env.example` and docs/api.md.
 */
export interface ResultsConfig {
  /** The most bytes one serialised result (a JSON answer, a CSV result file) may have. */
  maxBytes: number;
}

/** 64 MiB: far below V8's string limit, far above any page a dashboard or a notebook reads. */
export const DEFAULT_MAX_RESULT_BYTES = 64 * 1024 ** 2;
/** The cap may not be set below 1 KiB (an error answer and a header line must fit). */
export const MIN_MAX_RESULT_BYTES = 1024;
/** Nor above 256 MiB: the serialised bytes are held in memory once, and must stay clear of V8's string limit. */
export const MAX_MAX_RESULT_BYTES = 256 * 1024 ** 2;

export const resultsConfigSchema = z.object({
  CATDATA_MAX_RESULT_BYTES: z.coerce
    .number()
    .int()
    .min(MIN_MAX_RESULT_BYTES)
    .max(MAX_MAX_RESULT_BYTES)
    .default(DEFAULT_MAX_RESULT_BYTES),
});

export function toResultsConfig(e: z.infer<typeof resultsConfigSchema>): ResultsConfig {
  return { maxBytes: e.CATDATA_MAX_RESULT_BYTES };
}
