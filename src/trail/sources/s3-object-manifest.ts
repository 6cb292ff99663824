import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { CatdataError } from "../../errors.js";
import { trailPaths } from "../lake-paths.js";

/**
 * `lake/trail/sources/s3-objects.json`: the S3 objects already loaded, by `s3://bucket/key`, with
 * the ETag they had and the sha256 of their bytes. An object listed again with the same ETag is
 * not downloaded again; a changed ETag means new bytes, which go through the lake's own sha256
 * check. Written atomically (tmp + rename), after the lake's manifest.
 */
export interface S3ObjectEntry {
  etag: string;
  sha256: string;
}

export interface S3ObjectManifest {
  version: 1;
  objects: Record<string, S3ObjectEntry>;
}

export const s3ManifestPath = (home: string): string => path.join(trailPaths(home).root, "sources", "s3-objects.json");

export async function readS3Manifest(home: string): Promise<S3ObjectManifest> {
  const file = s3ManifestPath(home);
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return { version: 1, objects: {} };
  try {
    const parsed = JSON.parse(text) as S3ObjectManifest;
    if (typeof parsed.objects !== "object" || parsed.objects === null) throw new Error("`objects` is not an object");
    return parsed;
  } catch (error) {
    throw new CatdataError("INTEGRITY", `the S3 object list ${file} is damaged: ${String(error)}`, {
      hint: "delete it: the next load downloads the objects again and skips what the lake already has",
    });
  }
}

export async function writeS3Manifest(home: string, manifest: S3ObjectManifest): Promise<void> {
  const file = s3ManifestPath(home);
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(manifest, null, 1)}\n`);
  await rename(tmp, file);
}
