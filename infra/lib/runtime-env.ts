import type { DataLakeRefs } from "./constructs/data-lake-access.js";

/**
 * The environment the application (src/config/config.ts) reads when it runs in AWS; see .env.example for each
 * variable. Lambdas and the Fargate task keep their state in the ephemeral /tmp: the durable data lives in S3.
 */
export const EPHEMERAL_ENV = {
  CATDATA_HOME: "/tmp/catdata",
  // Must lie outside CATDATA_HOME; the home directory is not writable in Lambda.
  CATDATA_KEY_FILE: "/tmp/catdata-keys/master.key",
  CATDATA_DEMO: "false",
} as const;

/** Object store on S3 and queries through Athena, over the data lake stack's bucket and workgroup. */
export function dataLakeEnv(refs: DataLakeRefs, accountId: string): Record<string, string> {
  return {
    CATDATA_STORE: "s3",
    CATDATA_S3_BUCKET: refs.bucketName,
    CATDATA_QUERY_ENGINE: "athena",
    CATDATA_ATHENA_WORKGROUP: refs.workgroupName,
    CATDATA_ACCOUNT_ID: accountId,
  };
}
