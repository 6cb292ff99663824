import { z } from "zod";
import { badInput } from "../../errors.js";

/**
 * Arguments the catdata tools share with the AWS Labs CloudTrail MCP server, so prompts written for
 * that server work here: a parameter may come under our camelCase name or its snake_case one, never
 * both; `region` must be the one this server is configured for (AWS_REGION), never assumed.
 */
export function eitherSpelling<T>(ours: [string, T | undefined], theirs: [string, T | undefined]): T | undefined {
  if (ours[1] !== undefined && theirs[1] !== undefined) {
    throw badInput(`give ${ours[0]} or ${theirs[0]}, not both`, `they are the same parameter; keep ${ours[0]}`);
  }
  return ours[1] ?? theirs[1];
}

export const regionInput = z
  .string()
  .min(1)
  .optional()
  .describe("AWS region of the events (AWS Labs form); must be this server's configured region when given");

export function checkRegion(region: string | undefined, configured: string | undefined): void {
  if (region === undefined || region === configured) return;
  if (configured === undefined) {
    throw badInput(
      `region ${JSON.stringify(region)} cannot be checked: this server has no configured region`,
      "leave region out",
    );
  }
  throw badInput(
    `region ${JSON.stringify(region)} is not served here: this server's CloudTrail events are configured for ${configured}`,
    `leave region out or pass "${configured}"`,
  );
}
