import type { BehaviourService } from "../behaviour/behaviour-service.js";
import type { TrailLake } from "../trail/lake/trail-lake.js";

/**
 * What the MCP server and its tools need, built once by the composition root (`runtime.behaviour`,
 * `runtime.trail`). In its own file so the tools and the server both import it without a cycle.
 */
export interface McpDeps {
  behaviour: BehaviourService;
  trail: TrailLake;
  version: string;
}
