import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { CatdataError } from "../errors.js";

/**
 * Quarantined rows (the raw values of refused records) encrypted at rest like the store's objects:
 * AES-256-GCM under a key derived (HKDF-SHA256) from the store's master key — first for this
 * purpose ("catdata-quarantine-v1"), then per job — so the rows are as unreadable as the raw upload
 * they came from. Each row is sealed on its own line, so a reader can page through them:
 *   base64("CDQ1" | iv (12 bytes) | ciphertext | auth tag (16 bytes))
 * with the job id and the row's position as additional data: a row changed, moved to another job or
 * to another position fails to open. A plain JSON line (written before encryption) is read as is.
 */
const MAGIC = Buffer.from("CDQ1");
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface JobQuarantineCipher {
  seal(line: string, index: number): string;
  /** The row's JSON; INTEGRITY when its bytes changed or the key is not the one it was sealed with. */
  open(line: string, index: number): string;
}

export class QuarantineCipher {
  private readonly root: Buffer;

  constructor(masterKey: Buffer) {
    this.root = Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), Buffer.from("catdata-quarantine-v1"), 32));
  }

  forJob(jobId: string): JobQuarantineCipher {
    const key = Buffer.from(hkdfSync("sha256", this.root, Buffer.from(jobId), Buffer.from("job"), 32));
    const aad = (index: number) => Buffer.from(`${jobId}:${index}`);
    return {
      seal: (line, index) => {
        const iv = randomBytes(IV_BYTES);
        const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(aad(index));
        const body = Buffer.concat([cipher.update(line, "utf8"), cipher.final()]);
        return Buffer.concat([MAGIC, iv, body, cipher.getAuthTag()]).toString("base64");
      },
      open: (line, index) => {
        if (line.startsWith("{")) return line;
        try {
          const bytes = Buffer.from(line, "base64");
          if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error("not a sealed row");
          const iv = bytes.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
          const tag = bytes.subarray(bytes.length - TAG_BYTES);
          const decipher = createDecipheriv("aes-256-gcm", key, iv).setAAD(aad(index));
          decipher.setAuthTag(tag);
          const body = bytes.subarray(MAGIC.length + IV_BYTES, bytes.length - TAG_BYTES);
          return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
        } catch (error) {
          throw new CatdataError(
            "INTEGRITY",
            `quarantined row ${index + 1} of job ${jobId} cannot be decrypted: its bytes changed or the master key is not the one it was written under`,
            {
              hint: "restore the key file (CATDATA_KEY_FILE) the rows were written with, or re-run the job",
              cause: error,
            },
          );
        }
      },
    };
  }
}

/** Without a cipher (a job log given none), rows are stored as plain JSON lines. */
export const PLAIN_ROWS: JobQuarantineCipher = {
  seal: (line) => line,
  open: (line, index) => {
    if (line.startsWith("{")) return line;
    throw new CatdataError("INTEGRITY", `quarantined row ${index + 1} is encrypted, and this job log has no key`, {
      hint: "open the job log with the master key the rows were written under (the runtime does)",
    });
  },
};
