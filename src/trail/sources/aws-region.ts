import { badInput } from "../../errors.js";

/**
 * The region an AWS SDK client resolved (from its options, the environment or the profile), or a
 * user-facing error saying how to set one.
 */
export async function resolveRegion(
  client: { config: { region: () => Promise<string> } },
  what: string,
): Promise<string> {
  try {
    return await client.config.region();
  } catch {
    throw badInput(`no AWS region for ${what}`, "set AWS_REGION, a region in your AWS profile, or pass --region");
  }
}
