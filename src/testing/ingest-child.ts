/**
 * A separate process for tests that need one (crash recovery, several processes on one data
 * directory): `node --import tsx src/testing/ingest-child.ts <file> [municipality]` opens a runtime
 * from the environment (CATDATA_HOME, CATDATA_KEY_FILE…), ingests the file, prints the finished job
 * record as one JSON line and exits.
 */
import { loadConfig } from "../config/config.js";
import { ingestFile } from "../etl/ingest.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime } from "../runtime.js";

const [file, municipality] = process.argv.slice(2);
if (!file) throw new Error("usage: ingest-child.ts <file> [municipality]");
const runtime = await openRuntime(loadConfig(process.env), silentLogger, { rebuildMartsAfterLoad: false });
try {
  const job = await ingestFile(runtime, file, municipality ? { municipality } : {});
  process.stdout.write(`${JSON.stringify(job)}\n`);
} finally {
  await runtime.close();
}
