import { createCipheriv, createDecipheriv, createHash, type DecipherGCM, hkdfSync, randomBytes } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

/**
 * At-rest encryption of one object version: AES-256-GCM under a key derived (HKDF-SHA256) from the
 * master key and the version id, so no two versions share a key. File layout:
 *   "CDE1" | iv (12 bytes) | ciphertext | auth tag (16 bytes)
 */
const MAGIC = Buffer.from("CDE1");
export const HEADER_BYTES = MAGIC.length + 12;
export const TAG_BYTES = 16;

function versionKey(master: Buffer, versionId: string): Buffer {
  return Buffer.from(hkdfSync("sha256", master, Buffer.from(versionId), Buffer.from("catdata-store-v1"), 32));
}

/** A transform that encrypts plaintext and hashes it; `digest()` and `header` are valid after it ends. */
export class EncryptStream extends Transform {
  readonly header: Buffer;
  private readonly cipher;
  private readonly hash = createHash("sha256");
  size = 0;

  constructor(master: Buffer, versionId: string) {
    super();
    const iv = randomBytes(12);
    this.header = Buffer.concat([MAGIC, iv]);
    this.cipher = createCipheriv("aes-256-gcm", versionKey(master, versionId), iv);
    this.push(this.header);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    this.hash.update(chunk);
    done(null, this.cipher.update(chunk));
  }

  override _flush(done: TransformCallback): void {
    this.push(this.cipher.final());
    this.push(this.cipher.getAuthTag());
    done();
  }

  sha256(): string {
    return this.hash.digest("hex");
  }
}

/**
 * Decrypts a whole stored file body (header | ciphertext | tag) as a stream. The tag is the last 16
 * bytes, so the transform holds back the tail; a wrong key, a changed byte or a truncated file
 * fails at the end with an integrity error. It also checks the plaintext SHA-256 against `sha256`.
 */
export class DecryptStream extends Transform {
  private decipher: DecipherGCM | undefined;
  private pending = Buffer.alloc(0);
  private readonly hash = createHash("sha256");

  constructor(
    private readonly master: Buffer,
    private readonly versionId: string,
    private readonly expectedSha256: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    if (!this.decipher) {
      if (this.pending.length < HEADER_BYTES) {
        done();
        return;
      }
      if (!this.pending.subarray(0, MAGIC.length).equals(MAGIC)) {
        done(new Error("not a catdata encrypted object"));
        return;
      }
      const iv = this.pending.subarray(MAGIC.length, HEADER_BYTES);
      this.decipher = createDecipheriv("aes-256-gcm", versionKey(this.master, this.versionId), iv);
      this.pending = this.pending.subarray(HEADER_BYTES);
    }
    if (this.pending.length > TAG_BYTES) {
      const body = this.pending.subarray(0, this.pending.length - TAG_BYTES);
      this.pending = Buffer.from(this.pending.subarray(this.pending.length - TAG_BYTES));
      const plain = this.decipher.update(body);
      this.hash.update(plain);
      this.push(plain);
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    try {
      if (!this.decipher || this.pending.length !== TAG_BYTES) throw new Error("the stored object is truncated");
      this.decipher.setAuthTag(this.pending);
      const plain = this.decipher.final();
      this.hash.update(plain);
      this.push(plain);
      const actual = this.hash.digest("hex");
      if (actual !== this.expectedSha256)
        throw new Error(`checksum mismatch (expected ${this.expectedSha256}, got ${actual})`);
      done();
    } catch (error) {
      done(
        error instanceof Error && error.message.includes("auth")
          ? new Error("authentication tag mismatch: the stored bytes were changed or the key is wrong")
          : (error as Error),
      );
    }
  }
}
