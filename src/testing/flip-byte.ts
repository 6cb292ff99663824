import { open } from "node:fs/promises";

/** Test helper: bit rot. Flips the middle byte of `bytes` (a copy), or of a file in place (same size). */
export function flipMiddleByte(bytes: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(bytes);
  const at = Math.floor(copy.length / 2);
  copy[at] = (copy[at] ?? 0) ^ 0xff;
  return copy;
}

export async function flipMiddleByteOfFile(file: string): Promise<void> {
  const handle = await open(file, "r+");
  try {
    const { size } = await handle.stat();
    const at = Math.floor(size / 2);
    const one = Buffer.alloc(1);
    await handle.read(one, 0, 1, at);
    one[0] = (one[0] ?? 0) ^ 0xff;
    await handle.write(one, 0, 1, at);
  } finally {
    await handle.close();
  }
}
