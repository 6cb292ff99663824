import type { Claims } from "../auth/verifier.js";
import type { BehaviourService } from "../behaviour/behaviour-service.js";
import type { CloudTrailLake } from "../trail/cloudtrail-lake/cloudtrail-lake.js";
import type { TrailLake } from "../trail/lake/trail-lake.js";
import type { Warehouse } from "../warehouse/warehouse.js";

/**
 * What the MCP server and its tools need, built once by the composition root (`runtime.behaviour`,
 * `runtime.trail`) — `caller` per request on HTTP. In its own file so the tools and the server both
 * import it without a cycle.
 */
export interface McpDeps {
  behaviour: BehaviourService;
  trail: TrailLake;
  version: string;
  /** The clock: get_current_time, relative times ("2 days ago"), forecasts. Default: the system clock. */
  now?: (() => Date) | undefined;
  /** The AWS region of the CloudTrail source (config.region, AWS_REGION); never hard-coded in a tool. */
  region?: string | undefined;
  /** The KPI marts (query_cat_stats); absent when the server has no warehouse. */
  warehouse?: Pick<Warehouse, "kpis"> | undefined;
  /**
   * Who calls: on HTTP the signed-in user's claims (their authorisation and suppression apply); on
   * stdio the local operator, who owns the machine's data (null: no restriction).
   */
  caller?: Claims | null | undefined;
  /**
   * AWS CloudTrail Lake (CATDATA_CLOUDTRAIL_LAKE=on): lake_query SQL naming an event data store runs
   * there, list_event_data_stores lists them. Absent: the lake tools run over `trail` only.
   */
  cloudTrailLake?: CloudTrailLake | undefined;
  /** Minimum cell size for counts the caller may not see exactly (config.auth.minCell). */
  minCell?: number | undefined;
}
