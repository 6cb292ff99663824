import { randomBytes } from "node:crypto";
import { chmod, mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * The one way catdata replaces a file on local disk: write a temporary file beside it, then rename
 * it into place (a rename is atomic), so a reader or a crash never sees half a file. Files are 0600
 * and new folders 0700 by default: everything under CATDATA_HOME is the platform's own.
 */
export interface AtomicWriteOptions {
  mode?: number;
}

/** The mode of every file catdata keeps under CATDATA_HOME, and of its folders. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, data, { mode: options.mode ?? PRIVATE_FILE_MODE });
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/**
 * Moves a finished file into place (same file system), creating the target folder. The file is
 * made 0600 before the rename, whoever wrote it (DuckDB's COPY writes 0644), so it is never
 * visible under its final name with a looser mode.
 */
export async function moveIntoPlace(from: string, to: string, options: AtomicWriteOptions = {}): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true, mode: PRIVATE_DIR_MODE });
  await chmod(from, options.mode ?? PRIVATE_FILE_MODE);
  await rename(from, to);
}
