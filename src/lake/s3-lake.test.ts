/**
 * Pins the S3 lake against s3rver (an S3-compatible server on 127.0.0.1) with the shared Lake
 * contract (lake.contract.ts), plus what only the S3 one does:
 * - parts land under `curated/<dataset>/municipality=…/fiscal_year=…/` and the manifest at
 *   `curated/_catalog.json`; parts are uploaded before the manifest names them
 * - the manifest write is conditional (If-None-Match `*` first, then If-Match the ETag read); a
 *   refused write (412) re-reads the manifest, re-runs the guard and keeps the other writer's commit
 * - readers get local copies under the scratch folder, downloaded once; a damaged cached copy is
 *   fetched again (the bucket's bytes match the manifest), never served
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeLakeContract } from "../testing/contracts/lake.contract.js";
import { flipMiddleByte, flipMiddleByteOfFile } from "../testing/flip-byte.js";
import { S3RVER_CREDENTIALS, startS3rver, type TestS3 } from "../testing/s3.js";
import { ParquetDatasetWriter } from "./parquet-writer.js";
import { S3Lake } from "./s3-lake.js";

const BUCKET = "cat-data-bucket";
const scratch = () => mkdtempSync(path.join(os.tmpdir(), "catdata-s3lake-"));

async function exists(client: S3Client, key: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    return true;
  } catch {
    return false;
  }
}

/** Flips a byte of the object in the bucket (its cached copy dropped, so the lake fetches it again). */
async function corruptObject(client: S3Client, key: string, cached?: string): Promise<void> {
  const out = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const body = flipMiddleByte(await out.Body!.transformToByteArray());
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  if (cached) rmSync(cached, { force: true });
}

describeLakeContract("s3", async () => {
  const s3 = await startS3rver([BUCKET]);
  const dir = scratch();
  const lake = new S3Lake({ bucket: BUCKET, region: "us-east-1", client: s3.client, scratchDir: dir });
  return {
    lake,
    published: (rel) => exists(s3.client, `curated/${rel}`),
    corrupt: (rel) => corruptObject(s3.client, `curated/${rel}`, path.join(dir, "cache", ...rel.split("/"))),
    close: () => s3.close(),
  };
});

/** A client of its own whose sends can be watched and, once, answered with a 412. */
function watchedClient(s3: TestS3) {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
  });
  const manifestPuts: { ifMatch?: string; ifNoneMatch?: string }[] = [];
  let beforeManifestPut: (() => Promise<void>) | undefined;
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = (args as { input: { Key?: string; IfMatch?: string; IfNoneMatch?: string } }).input;
      if (
        input.Key === "curated/_catalog.json" &&
        (args as { request?: { method?: string } }).request?.method === "PUT"
      ) {
        manifestPuts.push({ ifMatch: input.IfMatch, ifNoneMatch: input.IfNoneMatch });
        const hook = beforeManifestPut;
        beforeManifestPut = undefined;
        if (hook) {
          await hook();
          throw Object.assign(new Error("At least one of the pre-conditions you specified did not hold"), {
            name: "PreconditionFailed",
            $metadata: { httpStatusCode: 412 },
          });
        }
      }
      return next(args);
    },
    { step: "finalizeRequest", name: "watchManifest" },
  );
  return { client, manifestPuts, onceBeforeManifestPut: (hook: () => Promise<void>) => (beforeManifestPut = hook) };
}

async function stageOne(lake: S3Lake, jobId: string, animalId: string) {
  const writer = await ParquetDatasetWriter.open(await lake.openStaging(jobId), "intakes", jobId);
  await writer.append({ municipality: "131041", fiscalYear: 2024, sourceJob: jobId, sourceRow: 1, animalId });
  return { intakes: await writer.finish() };
}

describe("S3Lake", () => {
  let s3: TestS3;
  beforeAll(async () => {
    s3 = await startS3rver([BUCKET]);
  });
  afterAll(() => s3.close());

  it("writes the manifest conditionally and retries with the guard when another writer won", async () => {
    const watched = watchedClient(s3);
    const lake = new S3Lake({ bucket: BUCKET, region: "us-east-1", client: watched.client, scratchDir: scratch() });
    const other = new S3Lake({ bucket: BUCKET, region: "us-east-1", client: s3.client, scratchDir: scratch() });
    await lake.commitJob("first", await stageOne(lake, "first", "F1"), { source: { sha256: "f", municipality: null } });
    expect(watched.manifestPuts).toEqual([{ ifMatch: undefined, ifNoneMatch: "*" }]);

    // Between our read and our write, another process commits the same bytes.
    const staged = await stageOne(lake, "mine", "M1");
    const otherStaged = await stageOne(other, "theirs", "T1");
    watched.onceBeforeManifestPut(async () => {
      await other.commitJob("theirs", otherStaged, { source: { sha256: "same", municipality: null } });
    });
    const guard = (state: { jobs: Record<string, { sha256: string }> }) =>
      Object.values(state.jobs).some((j) => j.sha256 === "same") ? "duplicate" : undefined;
    const result = await lake.commitJob("mine", staged, { source: { sha256: "same", municipality: null }, guard });
    expect(result).toEqual({ committed: false, reason: "duplicate" });
    expect(watched.manifestPuts[1]?.ifMatch).toMatch(/^"[0-9a-f]+"$/);
    const state = await lake.readCatalog();
    expect(Object.keys(state.jobs).sort()).toEqual(["first", "theirs"]);
    // The refused job's uploaded parts are removed again; only listed parts remain under curated/.
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "curated/intakes/" }));
    const keys = (listed.Contents ?? []).map((o) => o.Key?.slice("curated/".length)).sort();
    expect(keys).toEqual(state.tables.intakes?.files.map((f) => f.path).sort());
  });

  it("downloads each part once into the scratch folder, keeping the Hive path", async () => {
    const dir = scratch();
    const lake = new S3Lake({ bucket: BUCKET, region: "us-east-1", client: s3.client, scratchDir: dir });
    const state = await lake.readCatalog();
    const files = await lake.localFiles("intakes", state);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(f.startsWith(path.join(dir, "cache", "intakes", "municipality=131041"))).toBe(true);
    // Overwrite a part on the server: the cached copy is what readers keep getting (parts are immutable).
    const [first] = state.tables.intakes!.files;
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `curated/${first!.path}`, Body: "changed" }));
    expect(await lake.localFiles("intakes", state)).toEqual(files);
    const index = state.tables.intakes!.files.indexOf(first!);
    expect(readFileSync(files[index]!).subarray(0, 4).toString()).toBe("PAR1");
    expect(lake.location).toBe(`s3://${BUCKET}/curated/`);
  });

  it("fetches a damaged cached copy again instead of serving it", async () => {
    const dir = scratch();
    const options = { bucket: BUCKET, region: "us-east-1", client: s3.client, scratchDir: dir };
    const lake = new S3Lake({ ...options, prefix: "cache-test/" });
    await lake.commitJob("cached", await stageOne(lake, "cached", "K1"));
    const state = await lake.readCatalog();
    const entry = state.tables.intakes!.files.find((f) => f.jobId === "cached")!;
    const files = await lake.localFiles("intakes", state);
    const local = files[state.tables.intakes!.files.indexOf(entry)]!;
    const good = readFileSync(local);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await flipMiddleByteOfFile(local);
    expect(readFileSync(local).equals(good)).toBe(false);
    expect(await lake.localFiles("intakes", state)).toEqual(files);
    expect(readFileSync(local).equals(good)).toBe(true);
  });
});
