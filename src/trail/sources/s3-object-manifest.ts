import { CatdataError } from "../../errors.js";

/**
 * The S3 objects already loaded by `catdata trail load s3://…`, by `s3://bucket/key`, with the ETag
 * they had and the sha256 of their bytes. An object listed again with the same ETag is not
 * downloaded again; a changed ETag means new bytes, which go through the lake's own sha256 check.
 * Stored by the `TrailLake` (written after the lake's manifest); this module parses and renders it.
 */
export interface S3ObjectEntry {
  etag: string;
  sha256: string;
}

export interface S3ObjectManifest {
  version: 1;
  objects: Record<string, S3ObjectEntry>;
}

export const emptyS3ObjectManifest = (): S3ObjectManifest => ({ version: 1, objects: {} });

export function parseS3ObjectManifest(text: string, where: string): S3ObjectManifest {
  try {
    const parsed = JSON.parse(text) as S3ObjectManifest;
    if (typeof parsed.objects !== "object" || parsed.objects === null) throw new Error("`objects` is not an object");
    return parsed;
  } catch (error) {
    throw new CatdataError("INTEGRITY", `the S3 object list ${where} is damaged: ${String(error)}`, {
      hint: "delete it: the next load downloads the objects again and skips what the lake already has",
    });
  }
}

export const renderS3ObjectManifest = (manifest: S3ObjectManifest): string => `${JSON.stringify(manifest, null, 1)}\n`;
