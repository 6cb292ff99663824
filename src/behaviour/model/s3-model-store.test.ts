/**
 * Pins the model store in S3 (against s3rver): the ModelStore contract, the model as one object.
 */
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
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
  const tamper = async (edit: (text: string) => string) => {
    const out = await s3.client.send(new GetObjectCommand({ Bucket: "model-bucket", Key: key }));
    const body = edit((await out.Body?.transformToString("utf8")) ?? "");
    await s3.client.send(new PutObjectCommand({ Bucket: "model-bucket", Key: key, Body: body }));
  };
  return { store: open(), reopen: open, tamper };
});
