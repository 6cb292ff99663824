import path from "node:path";
import { RAW_PREFIX } from "./process-cat-data.js";

/**
 * Where an upload is stored: `raw/<municipality or unassigned>/<UTC date>/<file name>` — under the
 * prefix whose puts run process-cat-data. The clock is the caller's (tests pin it).
 */
export const rawKeyFor = (municipality: string | undefined, fileName: string, now: () => Date) =>
  path.posix.join(RAW_PREFIX, municipality || "unassigned", now().toISOString().slice(0, 10), path.basename(fileName));
