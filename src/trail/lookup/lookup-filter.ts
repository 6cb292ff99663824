import { badInput } from "../../errors.js";
import { parseTrailTime } from "../parse/event-time.js";

/**
 * The request of CloudTrail's LookupEvents API, as we accept it, and its validation into a
 * normalised form. Differences from the API, on purpose: several lookup attributes may be given
 * (they are ANDed; the API allows one), there is no default 90-day window (a lake holds history),
 * and `Username` also matches our principal id and the role session name.
 */
export const LOOKUP_ATTRIBUTE_KEYS = [
  "EventId",
  "EventName",
  "ReadOnly",
  "Username",
  "ResourceType",
  "ResourceName",
  "EventSource",
  "AccessKeyId",
] as const;
export type LookupAttributeKey = (typeof LOOKUP_ATTRIBUTE_KEYS)[number];

export interface LookupAttribute {
  attributeKey: LookupAttributeKey;
  attributeValue: string;
}

export interface LookupFilter {
  lookupAttributes?: LookupAttribute[];
  /** Inclusive. ISO 8601 string or Date. */
  startTime?: string | Date;
  /** Inclusive. ISO 8601 string or Date. */
  endTime?: string | Date;
  /** `insight` returns Insights events only; by default they are left out, as in the API. */
  eventCategory?: "insight";
  /** 1–50, default 50. */
  maxResults?: number;
  nextToken?: string;
}

export interface NormalisedLookup {
  attributes: LookupAttribute[];
  startMs: number | undefined;
  endMs: number | undefined;
  insights: boolean;
  maxResults: number;
}

export const MAX_RESULTS = 50;

export function normaliseLookup(filter: LookupFilter): NormalisedLookup {
  const attributes = filter.lookupAttributes ?? [];
  for (const attribute of attributes) {
    if (!LOOKUP_ATTRIBUTE_KEYS.includes(attribute.attributeKey)) {
      throw badInput(
        `unknown lookup attribute ${JSON.stringify(attribute.attributeKey)}`,
        `use one of ${LOOKUP_ATTRIBUTE_KEYS.join(", ")}`,
      );
    }
    if (typeof attribute.attributeValue !== "string" || attribute.attributeValue === "") {
      throw badInput(`lookup attribute ${attribute.attributeKey} needs a non-empty value`);
    }
    if (attribute.attributeKey === "ReadOnly" && !/^(true|false)$/i.test(attribute.attributeValue)) {
      throw badInput(`ReadOnly must be "true" or "false", not ${JSON.stringify(attribute.attributeValue)}`);
    }
  }
  const startMs = timeMs(filter.startTime, "startTime");
  const endMs = timeMs(filter.endTime, "endTime");
  if (startMs !== undefined && endMs !== undefined && startMs > endMs) {
    throw badInput("startTime is after endTime", "give a startTime at or before the endTime");
  }
  const maxResults = filter.maxResults ?? MAX_RESULTS;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS) {
    throw badInput(`maxResults must be an integer from 1 to ${MAX_RESULTS}, not ${maxResults}`, "page with nextToken");
  }
  return { attributes, startMs, endMs, insights: filter.eventCategory === "insight", maxResults };
}

function timeMs(value: string | Date | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : parseTrailTime(value).date?.getTime();
  if (ms === undefined || Number.isNaN(ms)) {
    throw badInput(`${name} ${JSON.stringify(value)} is not a time`, "use ISO 8601, e.g. 2023-07-10T11:00:00Z");
  }
  return ms;
}
