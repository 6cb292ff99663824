import { CloudTrailClient, type Event, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import type { TrailLake } from "../lake/trail-lake.js";
import { findTooDeep, MAX_TRAIL_JSON_DEPTH } from "../parse/json-depth.js";
import { normaliseRecord } from "../parse/normalise.js";
import type { TrailEvent } from "../parse/trail-event.js";
import { resolveRegion } from "./aws-region.js";
import { LakeEventSink, type SinkSummary } from "./lake-event-sink.js";
import { lookupWindow } from "./lookup-window.js";
import { retryThrottled } from "./throttle-retry.js";
import { type Clock, RegionLimits, realClock } from "./token-bucket.js";

/**
 * `catdata trail load --lookup`: management events from CloudTrail's LookupEvents API into the
 * lake. Pages of 50 followed by NextToken; at most 2 requests a second per region (a token bucket
 * shared by the process); throttling retried with backoff; the 90-day window enforced with a
 * notice. Each event's `CloudTrailEvent` JSON is the record; an event without one keeps the API's
 * own fields, with the reason in `parse_problems`. Rows are deduplicated by eventID.
 */
export const LOOKUP_REQUESTS_PER_SECOND = 2;
const processLimits = new RegionLimits(LOOKUP_REQUESTS_PER_SECOND);

export interface LookupLoadOptions {
  /** Defaults to a client for `region`, or the SDK's default chain (environment, profile). */
  client?: CloudTrailClient;
  region?: string;
  start?: string;
  end?: string;
  clock?: Clock;
  limits?: RegionLimits;
  partSize?: number;
  onNotice?: (message: string) => void;
  onPage?: (pages: number, events: number) => void;
}

export interface LookupLoadSummary extends SinkSummary {
  region: string;
  startTime: string;
  endTime: string;
  requests: number;
  retries: number;
  eventsSeen: number;
  notices: string[];
}

export function eventToRecord(event: Event, source: string, index: number): TrailEvent {
  let record: unknown;
  let problem: string | undefined;
  const text = event.CloudTrailEvent;
  try {
    if (text !== undefined && findTooDeep(Buffer.from(text))) {
      problem = `CloudTrailEvent nests deeper than ${MAX_TRAIL_JSON_DEPTH} levels (MAX_TRAIL_JSON_DEPTH); fields taken from the API's Event`;
    } else {
      record = text === undefined ? undefined : JSON.parse(text);
      if (record === undefined) problem = "LookupEvents returned no CloudTrailEvent; fields taken from the API's Event";
    }
  } catch (error) {
    problem = `CloudTrailEvent is not JSON (${error instanceof Error ? error.message : String(error)}); fields taken from the API's Event`;
  }
  if (problem === undefined) return normaliseRecord(record, { file: source, index });
  const fallback = {
    eventID: event.EventId,
    eventName: event.EventName,
    eventSource: event.EventSource,
    eventTime: event.EventTime?.toISOString(),
    readOnly: event.ReadOnly === undefined ? undefined : event.ReadOnly === "true",
    userIdentity: event.Username ? { userName: event.Username, accessKeyId: event.AccessKeyId } : undefined,
    resources: event.Resources?.map((r) => ({ type: r.ResourceType, ARN: r.ResourceName })),
  };
  const normalised = normaliseRecord(fallback, { file: source, index });
  return { ...normalised, parseProblems: [problem, ...normalised.parseProblems] };
}

export async function loadTrailLookup(lake: TrailLake, options: LookupLoadOptions = {}): Promise<LookupLoadSummary> {
  const clock = options.clock ?? realClock;
  const client =
    options.client ?? new CloudTrailClient({ ...(options.region ? { region: options.region } : {}), maxAttempts: 1 });
  const region = options.region ?? (await resolveRegion(client, "LookupEvents"));
  const window = lookupWindow(options.start, options.end, new Date(clock.now()));
  for (const notice of window.notices) options.onNotice?.(notice);
  const limits = options.limits ?? processLimits;
  const source = `lookup/${region}`;
  const sink = await LakeEventSink.open(lake, {
    location: `cloudtrail-lookup://${region}`,
    window,
    now: () => new Date(clock.now()),
    ...(options.partSize ? { partSize: options.partSize } : {}),
  });
  let requests = 0;
  let retries = 0;
  let eventsSeen = 0;
  let sunk: SinkSummary;
  try {
    let nextToken: string | undefined;
    do {
      const input = {
        StartTime: window.startTime,
        EndTime: window.endTime,
        MaxResults: 50,
        ...(nextToken ? { NextToken: nextToken } : {}),
      };
      const page = await retryThrottled(
        async () => {
          await limits.take(region);
          requests += 1;
          return client.send(new LookupEventsCommand(input));
        },
        { sleep: clock.sleep, onRetry: () => (retries += 1) },
      );
      for (const event of page.Events ?? []) await sink.add(eventToRecord(event, source, eventsSeen++));
      options.onPage?.(requests - retries, eventsSeen);
      nextToken = page.NextToken;
    } while (nextToken);
  } finally {
    sunk = await sink.close();
  }
  return {
    region,
    startTime: window.startTime.toISOString(),
    endTime: window.endTime.toISOString(),
    requests,
    retries,
    eventsSeen,
    ...sunk,
    notices: window.notices,
  };
}
