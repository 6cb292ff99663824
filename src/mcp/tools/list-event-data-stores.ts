import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { EventDataStoreSummary } from "../../trail/cloudtrail-lake/cloudtrail-lake.js";
import { TRAIL_COLUMNS } from "../../trail/lake/lake-schema.js";
import type { McpDeps } from "../mcp-deps.js";
import { TRAIL_TABLE } from "../trail-sql.js";
import { fitToBudget } from "./answer-budget.js";
import { CLOUDTRAIL_LAKE_SOURCE } from "./get-query-status.js";
import { checkRegion, regionInput } from "./tool-args.js";
import { readOnlyTool, strictInput } from "./tool-input.js";
import { toolResult } from "./tool-result.js";

/**
 * `list_event_data_stores` (AWS Labs name): CloudTrail Lake's event data stores. With CloudTrail
 * Lake on, ListEventDataStores (every page): id, ARN, name, status, retention, multi-region,
 * organization, termination protection — within DEFAULT_ANSWER_BYTES, saying how many did not fit.
 * With it off, the answer says so plainly, how to turn it on (CATDATA_CLOUDTRAIL_LAKE=on), and
 * names the table lake_query reads locally instead, with its columns.
 */
export const LIST_EVENT_DATA_STORES_TOOL = "list_event_data_stores";

const inputSchema = strictInput(LIST_EVENT_DATA_STORES_TOOL, {
  include_details: z
    .boolean()
    .optional()
    .describe("AWS Labs form: false lists only each store's id, name and status (default true)"),
  region: regionInput,
});

function storeAnswer(store: EventDataStoreSummary, details: boolean, defaultStore: string | undefined) {
  const isDefault = defaultStore !== undefined && (defaultStore === store.arn || defaultStore === store.id);
  const brief = { id: store.id, name: store.name, status: store.status, ...(isDefault ? { default: true } : {}) };
  if (!details) return brief;
  const more = {
    arn: store.arn,
    retention_period_days: store.retentionDays,
    multi_region_enabled: store.multiRegion,
    organization_enabled: store.organization,
    termination_protection_enabled: store.terminationProtection,
    created_timestamp: store.createdAt,
    updated_timestamp: store.updatedAt,
  };
  return { ...brief, ...Object.fromEntries(Object.entries(more).filter(([, v]) => v !== undefined)) };
}

export function registerListEventDataStoresTool(server: McpServer, deps: McpDeps): void {
  const lake = deps.cloudTrailLake;
  const columns = TRAIL_COLUMNS.map((c) => ({ name: c.name, type: c.type }));
  server.registerTool(
    LIST_EVENT_DATA_STORES_TOOL,
    {
      title: "List CloudTrail Lake event data stores",
      description: lake
        ? `AWS CloudTrail Lake event data stores in ${lake.region} (id, name, status, retention, multi-region…): ` +
          "put a store's id after FROM in lake_query. Also names catdata's local table " +
          `(${TRAIL_TABLE}) and its columns.`
        : "AWS CloudTrail Lake event data stores. CloudTrail Lake is off on this server, so there are none: the answer " +
          `names the table lake_query reads locally (${TRAIL_TABLE}) and its columns.`,
      inputSchema,
      annotations: readOnlyTool(lake !== undefined),
    },
    async (args) =>
      toolResult(async () => {
        checkRegion(args.region, deps.region);
        const local = { table: TRAIL_TABLE, columns };
        if (!lake) {
          return {
            event_data_stores: [],
            source: "local",
            message:
              "No CloudTrail Lake event data stores: CloudTrail Lake is off on this server (the operator turns it on " +
              "with CATDATA_CLOUDTRAIL_LAKE=on and AWS credentials; docs/mcp.md). " +
              `Its CloudTrail events are in catdata's trail lake (${deps.trail.location}); query them with lake_query ` +
              `FROM ${TRAIL_TABLE}, or use lookup_events.`,
            ...local,
          };
        }
        const stores = (await lake.listEventDataStores()).map((s) =>
          storeAnswer(s, args.include_details !== false, lake.defaultEventDataStore),
        );
        const wrap = (shown: typeof stores, note?: string) => ({
          event_data_stores: shown,
          source: CLOUDTRAIL_LAKE_SOURCE,
          region: lake.region,
          ...(lake.defaultEventDataStore ? { default_event_data_store: lake.defaultEventDataStore } : {}),
          message:
            stores.length === 0
              ? `No event data stores in ${lake.region}; catdata's own trail lake is the table ${TRAIL_TABLE}.`
              : "Query a store with lake_query: SELECT eventName, count(*) AS n FROM <id> WHERE eventTime > '2024-01-01 00:00:00' " +
                `GROUP BY eventName (CloudTrail Lake SQL); catdata's own trail lake is the table ${TRAIL_TABLE}.`,
          ...(note ? { note } : {}),
          ...local,
        });
        const fitted = fitToBudget(stores, (shown) => wrap(shown, "x".repeat(100)));
        if (fitted.cut === 0) return wrap(stores);
        return wrap(fitted.items, `${fitted.cut} more stores did not fit: include_details: false lists them briefly`);
      }),
  );
}
