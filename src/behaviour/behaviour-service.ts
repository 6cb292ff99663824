import { notFound } from "../errors.js";
import { type AttackMapping, defaultSamplesDir, loadAttackMapping } from "./attack-mapping.js";
import type { BehaviourModel } from "./behaviour-model.js";
import { readLakeEvents } from "./lake-events.js";
import { type Prediction, predictNextActions } from "./next-action.js";
import {
  listPrincipalSummaries,
  type PrincipalProfile,
  type PrincipalSummary,
  principalProfile,
} from "./principal-profile.js";
import { RECENT_KEYS } from "./sessions.js";
import { ensureBehaviourModel } from "./train.js";

/**
 * The behaviour features as the CLI, the API and the MCP tools use them: one function per question,
 * over the lake under `home` and its stored model (trained first when the lake has new parts).
 * The clock and the samples folder (for the ATT&CK mapping) are injectable.
 */
export interface BehaviourContext {
  home: string;
  /** Where `cloudtrail/traildiscover/events.json` may be; default CATDATA_SAMPLES_DIR or ../shared/data. */
  samplesDir?: string;
  now?: () => Date;
}

const mappings = new Map<string, Promise<AttackMapping>>();
export function attackMappingFor(ctx: BehaviourContext): Promise<AttackMapping> {
  const dir = ctx.samplesDir ?? defaultSamplesDir();
  let mapping = mappings.get(dir);
  if (!mapping) {
    mapping = loadAttackMapping(dir);
    mappings.set(dir, mapping);
  }
  return mapping;
}

export async function listPrincipals(ctx: BehaviourContext): Promise<PrincipalSummary[]> {
  const { model } = await ensureBehaviourModel(ctx.home);
  return listPrincipalSummaries(model);
}

/**
 * A principal by its id, or by a short name that ends exactly one id (`bert-jan` for
 * `iam-user:123837392027/bert-jan`); not found otherwise, naming the candidates when ambiguous.
 */
export function resolvePrincipal(model: BehaviourModel | Iterable<string>, name: string): string {
  const ids = new Set("principals" in model ? model.principals.keys() : model);
  if (ids.has(name)) return name;
  const matches = [...ids].filter((id) => id.endsWith(`/${name}`) || id.endsWith(`:${name}`));
  if (matches.length === 1 && matches[0]) return matches[0];
  throw notFound(
    `no principal ${JSON.stringify(name)} in the trail`,
    matches.length > 1 ? `it could be ${matches.join(" or ")}` : "list them with `catdata trail principals`",
  );
}

export async function getPrincipalProfile(
  ctx: BehaviourContext,
  principal: string,
  options: { timeZone?: string; top?: number } = {},
): Promise<PrincipalProfile> {
  const { model } = await ensureBehaviourModel(ctx.home);
  const id = resolvePrincipal(model, principal);
  const counts = model.principal(id);
  if (!counts) throw notFound(`no principal ${id}`);
  const now = (ctx.now ?? (() => new Date()))();
  return principalProfile(id, counts, { timeZone: options.timeZone ?? "UTC", now, top: options.top ?? 10 });
}

export interface PredictionResult {
  principal: string;
  /** The session keys the prediction follows (oldest first); empty for a new session. */
  after: string[];
  /** When the principal's last event was, ISO 8601. */
  lastEventTime: string;
  predictions: Prediction[];
}

/** Last-session event keys per (data directory, lake state, principal). */
const lastSessions = new Map<string, string[]>();

export async function predictNext(
  ctx: BehaviourContext,
  principal: string,
  options: { top?: number; after?: string[]; newSession?: boolean } = {},
): Promise<PredictionResult> {
  const { model, meta } = await ensureBehaviourModel(ctx.home);
  const id = resolvePrincipal(model, principal);
  const counts = model.principal(id);
  if (!counts) throw notFound(`no principal ${id}`);
  let after = options.after ?? [];
  if (!options.after && !options.newSession) {
    // The principal's last session, read from the lake once per model state (cached with the model).
    const key = `${ctx.home}\n${meta.parts.digest}\n${id}`;
    let keys = lastSessions.get(key);
    if (!keys) {
      const gap = model.config.sessionGapMs;
      const recent = await readLakeEvents(ctx.home, { principal: id, sinceMs: counts.lastMs - RECENT_KEYS * gap });
      let start = recent.length - 1;
      while (start > 0 && (recent[start]?.timeMs ?? 0) - (recent[start - 1]?.timeMs ?? 0) <= gap) start--;
      keys = recent.slice(Math.max(start, recent.length - RECENT_KEYS)).map((e) => e.eventKey);
      if (lastSessions.size > 10_000) lastSessions.clear();
      lastSessions.set(key, keys);
    }
    after = keys;
  }
  return {
    principal: id,
    after,
    lastEventTime: new Date(counts.lastMs).toISOString(),
    predictions: predictNextActions(model, id, after.slice(-RECENT_KEYS), options.top ?? 5),
  };
}
