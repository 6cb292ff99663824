import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { BehaviourService } from "../behaviour/behaviour-service.js";
import { syntheticTrail } from "../behaviour/evaluation/synthetic-trail.js";
import { type BehaviourEvent, START } from "../behaviour/model/behaviour-event.js";
import { LocalModelStore } from "../behaviour/model/local-model-store.js";
import { DataDir } from "../local/data-dir.js";
import { loadTrailFolder } from "../trail/lake/load-trail.js";
import { LocalTrailLake } from "../trail/lake/local-trail-lake.js";

/**
 * Test helpers: hand-made behaviour events, CloudTrail-shaped records, and a lake loaded from the
 * synthetic benign trail (written as S3-delivery-like files), in temporary folders, with the local
 * trail lake, model store and a `BehaviourService` over them.
 */
let next = 0;
export function event(
  principal: string,
  eventKey: string,
  timeMs: number,
  extra: Partial<BehaviourEvent> = {},
): BehaviourEvent {
  next += 1;
  return {
    eventId: `e-${String(next).padStart(6, "0")}`,
    timeMs,
    principal,
    principalType: "IAMUser",
    eventKey,
    region: "us-east-1",
    sourceIp: "203.0.113.1",
    userAgent: "aws-cli/2.15.30",
    userAgentFamily: "cli",
    readOnly: /:(Get|List|Describe)/.test(eventKey),
    errorCode: null,
    ...extra,
  };
}

/** A sequence of keys one second apart from `startMs`. */
export const sequence = (principal: string, keys: string[], startMs: number, extra: Partial<BehaviourEvent> = {}) =>
  keys.map((key, i) => event(principal, key, startMs + i * 1000, extra));

export { START };

/** Writes records as `{"Records": [...]}` files of at most `perFile` records, returns the folder. */
export async function writeTrailFolder(records: readonly unknown[], perFile = 500): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), "catdata-behaviour-src-"));
  const dir = path.join(folder, "AWSLogs", "111122223333", "CloudTrail", "ap-northeast-1");
  await mkdir(dir, { recursive: true });
  for (let i = 0; i * perFile < records.length; i++) {
    const chunk = records.slice(i * perFile, (i + 1) * perFile);
    await writeFile(path.join(dir, `part-${String(i).padStart(4, "0")}.json`), JSON.stringify({ Records: chunk }));
  }
  return folder;
}

/** Where the sample data is (the ATT&CK mapping's TrailDiscover file), as the configuration has it. */
export const testSamplesDir = (): string => path.resolve(process.env.CATDATA_SAMPLES_DIR ?? "../shared/data");

export interface TestBehaviourLake {
  dataDir: DataDir;
  trail: LocalTrailLake;
  models: LocalModelStore;
  /** A service over this lake (a new one each call: nothing cached), with this clock. */
  service(options?: { now?: () => Date; samplesDir?: string }): BehaviourService;
}

/** An empty local trail lake and model store in a temporary data directory. */
export async function emptyBehaviourLake(): Promise<TestBehaviourLake> {
  const dataDir = new DataDir(await mkdtemp(path.join(os.tmpdir(), "catdata-behaviour-home-")));
  const trail = new LocalTrailLake(dataDir.trail);
  const models = new LocalModelStore(dataDir.models.behaviour);
  return {
    dataDir,
    trail,
    models,
    service: (options = {}) =>
      new BehaviourService({
        trail,
        models,
        samplesDir: options.samplesDir ?? testSamplesDir(),
        now: options.now ?? (() => new Date()),
      }),
  };
}

/** A lake holding `weeks` of the synthetic trail. */
export async function syntheticLake(
  weeks = 1,
): Promise<TestBehaviourLake & { folder: string; records: Record<string, unknown>[] }> {
  const records = syntheticTrail({ weeks });
  const folder = await writeTrailFolder(records);
  const lake = await emptyBehaviourLake();
  await loadTrailFolder(lake.trail, folder);
  return { ...lake, folder, records };
}
