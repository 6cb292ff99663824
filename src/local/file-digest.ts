import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

/** What catdata records of a file's bytes when it commits it, and checks before it serves it. */
export interface FileDigest {
  sha256: string;
  size: number;
}

/** The SHA-256 and size of a file, streamed (memory stays bounded whatever its size). */
export async function digestFile(file: string): Promise<FileDigest> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), size };
}

export function digestBytes(bytes: Uint8Array): FileDigest {
  return { sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.byteLength };
}
