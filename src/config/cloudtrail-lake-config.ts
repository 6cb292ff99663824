import { z } from "zod";

/**
 * Whether the MCP tools lake_query / get_query_status / get_query_results / list_event_data_stores
 * also reach AWS CloudTrail Lake (StartQuery, DescribeQuery, GetQueryResults, ListEventDataStores in
 * config.region), and which event data store the tools name by default. A part that `config.ts`
 * composes into its schema (a wrong value fails naming the variable) and exposes as
 * `config.cloudTrailLake`. Off by default: the tools then run over catdata's own trail lake only.
 * Documented in `.env.example` and docs/mcp.md.
 */
export interface CloudTrailLakeConfig {
  /** CATDATA_CLOUDTRAIL_LAKE=on: SQL naming an event data store runs in AWS CloudTrail Lake. */
  enabled: boolean;
  /** The event data store (id or ARN) the tools suggest in their descriptions and hints. */
  defaultEventDataStore: string | undefined;
}

/** An event data store id (a UUID) or its ARN, as CloudTrail Lake SQL names it after FROM. */
export const EVENT_DATA_STORE_PATTERN =
  /^(?:arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:eventdatastore\/)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const cloudTrailLakeConfigSchema = z.object({
  CATDATA_CLOUDTRAIL_LAKE: z.enum(["on", "off"]).default("off"),
  CATDATA_CLOUDTRAIL_LAKE_EVENT_DATA_STORE: z
    .string()
    .regex(
      EVENT_DATA_STORE_PATTERN,
      "an event data store id (a UUID) or ARN such as arn:aws:cloudtrail:ap-northeast-1:123456789012:eventdatastore/<uuid>",
    )
    .optional(),
});

export function toCloudTrailLakeConfig(e: z.infer<typeof cloudTrailLakeConfigSchema>): CloudTrailLakeConfig {
  return {
    enabled: e.CATDATA_CLOUDTRAIL_LAKE === "on",
    defaultEventDataStore: e.CATDATA_CLOUDTRAIL_LAKE_EVENT_DATA_STORE,
  };
}
