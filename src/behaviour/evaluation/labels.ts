import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { badInput } from "../../errors.js";

/**
 * Event labels for anomaly evaluation, from a CSV with one row per event: an event id column
 * (`eventID`, `eventId` or `event_id`) and a label column. Invictus' `derived/event_labels.csv`
 * labels by user-agent class (`ua_class`), attack = `stratus_detonation_sdk_call`; any other file
 * names its column and positive value, or uses `label`/`is_attack`/`malicious` with 1/true/yes/attack.
 */
export interface LabelOptions {
  labelColumn?: string;
  /** The value of the label column that marks an attack. */
  positive?: string;
}

export interface Labels {
  file: string;
  column: string;
  positive: string[];
  /** Event id → attack? */
  byEventId: Map<string, boolean>;
}

const ID_COLUMNS = ["eventID", "eventId", "event_id", "EventId"];
const LABEL_COLUMNS = ["ua_class", "label", "is_attack", "malicious", "attack"];
const DEFAULT_POSITIVE: Record<string, string[]> = { ua_class: ["stratus_detonation_sdk_call"] };
const TRUTHY = ["1", "true", "yes", "attack", "malicious"];

export function parseLabels(text: string, file: string, options: LabelOptions = {}): Labels {
  const rows = parse(text, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  const header = Object.keys(rows[0] ?? {});
  const idColumn = ID_COLUMNS.find((c) => header.includes(c));
  if (!idColumn) throw badInput(`${file} has no event id column`, `name one of ${ID_COLUMNS.join(", ")}`);
  const column = options.labelColumn ?? LABEL_COLUMNS.find((c) => header.includes(c));
  if (!column || !header.includes(column)) {
    throw badInput(
      `${file} has no label column${options.labelColumn ? ` ${options.labelColumn}` : ""}`,
      `columns: ${header.join(", ")}`,
    );
  }
  const positive = options.positive ? [options.positive] : (DEFAULT_POSITIVE[column] ?? TRUTHY);
  const byEventId = new Map<string, boolean>();
  for (const row of rows) {
    const id = row[idColumn];
    if (id)
      byEventId.set(
        id,
        positive.includes((row[column] ?? "").trim().toLowerCase()) || positive.includes(row[column] ?? ""),
      );
  }
  return { file, column, positive, byEventId };
}

export async function readLabels(file: string, options: LabelOptions = {}): Promise<Labels> {
  const text = await readFile(file, "utf8").catch((error: Error) => {
    throw badInput(`cannot read labels ${file}: ${error.message}`);
  });
  return parseLabels(text, file, options);
}
