/**
 * A tool's answer as the offline model reads it back from the conversation: the JSON the tool wrote
 * (or the JSON object inside its text, when a tool writes a summary line first), whether it was an
 * error, and the CloudTrail event IDs anywhere in it. Pure.
 */
export interface ToolOutcome {
  name: string;
  input: unknown;
  ok: boolean;
  text: string;
  json: unknown;
}

export function parseToolText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const start = text.indexOf("{");
    const end = text.lastIndexOf("}");
    if (start < 0 || end <= start) return undefined;
    try {
      return JSON.parse(text.slice(start, end + 1));
    } catch {
      return undefined;
    }
  }
}

const EVENT_ID_KEYS = new Set(["EventId", "eventID", "eventId", "event_id"]);

/** Every event ID in a tool's JSON answer (EventId / eventID / eventId fields, at any depth), in order, once each. */
export function eventIdsIn(json: unknown, into: string[] = []): string[] {
  if (Array.isArray(json)) {
    for (const item of json) eventIdsIn(item, into);
  } else if (json && typeof json === "object") {
    for (const [key, value] of Object.entries(json)) {
      if (EVENT_ID_KEYS.has(key) && typeof value === "string" && !into.includes(value)) into.push(value);
      else if (key === "eventIds" && Array.isArray(value)) {
        for (const id of value) if (typeof id === "string" && !into.includes(id)) into.push(id);
      } else if (typeof value === "object") eventIdsIn(value, into);
    }
  }
  return into;
}

/** The canonical principal id a tool answered about (`principal` at the top of its JSON). */
export function principalFrom(json: unknown): string | undefined {
  const value = field(json, "principal");
  return typeof value === "string" ? value : undefined;
}

export function field(json: unknown, key: string): unknown {
  return json && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>)[key] : undefined;
}

export function arrayField(json: unknown, key: string): Record<string, unknown>[] {
  const value = field(json, key);
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => !!v && typeof v === "object") : [];
}
