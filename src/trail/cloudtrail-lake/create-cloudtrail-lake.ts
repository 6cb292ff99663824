import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import type { CloudTrailLakeConfig } from "../../config/cloudtrail-lake-config.js";
import { AwsCloudTrailLake } from "./aws-cloudtrail-lake.js";
import type { CloudTrailLake } from "./cloudtrail-lake.js";

/**
 * The one place that chooses the MCP lake tools' CloudTrail Lake: none with
 * CATDATA_CLOUDTRAIL_LAKE=off (the default; the tools then say how to turn it on), else the AWS
 * implementation with a client for `region` (config.region) — or the given client (tests).
 */
export function createCloudTrailLake(
  config: CloudTrailLakeConfig,
  region: string,
  client: CloudTrailClient = new CloudTrailClient({ region }),
): CloudTrailLake | undefined {
  if (!config.enabled) return undefined;
  return new AwsCloudTrailLake({ client, region, defaultEventDataStore: config.defaultEventDataStore });
}
