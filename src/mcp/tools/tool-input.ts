import { z } from "zod";

/**
 * A tool's input schema that refuses unknown arguments, naming the ones the tool takes: a model that
 * sends `{max_results: 5}` to a tool taking `maxResults` learns why, instead of getting the default
 * page back silently. The MCP SDK turns the refusal into a tool error (`isError`) with this text.
 */
export function strictInput<S extends z.ZodRawShape>(tool: string, shape: S) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `${tool} does not take ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}; its arguments are ${
            allowed.length ? allowed.join(", ") : "none"
          }`
        : undefined,
  });
}

/**
 * The annotations of every catdata tool: read-only, idempotent, never destructive; `openWorld` when
 * it reaches beyond catdata's own data (AWS CloudTrail Lake).
 */
export const readOnlyTool = (openWorld = false) => ({
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: openWorld,
});
