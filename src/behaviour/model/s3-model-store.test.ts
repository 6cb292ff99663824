/**
 * Pins the model store in S3 (against s3rver): the ModelStore contract, the model as one object.
 */
import { afterAll, beforeAll } from "vitest";
import { describeModelStoreContract } from "../../testing/contracts/model-store.contract.js";
import { startS3rver, type TestS3 } from "../../testing/s3.js";
import { S3ModelStore } from "./s3-model-store.js";

let s3: TestS3;
let n = 0;
beforeAll(async () => {
  s3 = await startS3rver(["model-bucket"]);
});
afterAll(async () => {
  await s3?.close();
});

describeModelStoreContract("s3 (s3rver)", async () => {
  const key = `m${++n}/models/behaviour.json`;
  const open = () => new S3ModelStore({ bucket: "model-bucket", region: "us-east-1", client: s3.client, key });
  return { store: open(), reopen: open };
});
