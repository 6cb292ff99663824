/**
 * Pins the real `catdata` process (bin/catdata.js, spawned) on the outcomes of Step 7:
 * - `ingest --json`: stdout is the JSON of the job records and nothing else; no JSON log line is
 *   printed beside the CLI's own output at the default level
 * - a file no profile matches prints the hint that points to `catdata suggest-mapping`
 * - a needs_review job exits non-zero and prints its reasons
 * - `catdata quarantine <job> | head`: the reader closing the pipe early ends the CLI quietly, exit 0
 */
import { execFile, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import type { JobRecord } from "../etl/job-log.js";
import { tempDir } from "../testing/fixtures.js";

const bin = path.resolve("bin/catdata.js");
let home: string;
let env: NodeJS.ProcessEnv;

/** Runs the CLI to its end; never rejects (the exit code is part of the result). */
async function catdata(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { cwd: home, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const HEADER = "保護日,個体ID,区分,性別,推定年齢";
const MAPPING = {
  format: "catdata-mapping/1",
  name: "cli-hoken",
  dataset: "intakes",
  species: { declared: "cat" }, // a cat-only file: no species column
  columns: { intakeAt: "保護日", animalId: "個体ID", intakeType: "区分", sex: "性別", ageClass: "推定年齢" },
  values: { intakeType: { 迷い猫: "stray" }, ageClass: { 子猫: "kitten", 成猫: "adult" }, sex: { オス: "male" } },
};

beforeAll(() => {
  home = tempDir();
  const { CATDATA_LOG_LEVEL: _level, ...rest } = process.env;
  env = { ...rest, CATDATA_HOME: path.join(home, ".catdata") };
  writeFileSync(path.join(home, "mapping.json"), JSON.stringify(MAPPING));
});

describe("the catdata process", () => {
  it("prints only JSON on stdout with --json, the hint of a file no profile matches, and no log line", async () => {
    writeFileSync(path.join(home, "unknown.csv"), "foo,bar\n1,2\n");
    const json = await catdata("ingest", "unknown.csv", "--json");
    expect(json.code).toBe(1);
    const [job] = JSON.parse(json.stdout) as JobRecord[];
    expect(job?.status).toBe("failed");
    expect(json.stderr).not.toMatch(/"level":/);
    const text = await catdata("ingest", "unknown.csv");
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/get a proposed mapping with `catdata suggest-mapping <file>`/);
    expect(`${text.stdout}${text.stderr}`).not.toMatch(/"level":/);
  }, 60_000);

  it("exits non-zero for needs_review and prints the reasons; a closed pipe ends `quarantine` quietly", async () => {
    const rows = [`2024/05/10,Q-0,迷い猫,オス,子猫`];
    for (let i = 1; i <= 3000; i++) rows.push(`2024/05/10,Q-${i},宇宙,オス,成猫`);
    writeFileSync(path.join(home, "review.csv"), `${HEADER}\n${rows.join("\n")}\n`);
    const ingest = await catdata("ingest", "review.csv", "--municipality", "131041", "--mapping", "mapping.json");
    expect(ingest.code).toBe(1);
    expect(ingest.stdout).toMatch(/review\.csv: needs_review/);
    expect(ingest.stdout).toMatch(
      /needs review: 3000 of 3001 cat rows were quarantined .*3000 × label "…" of column "…" is not mapped: add it to values.intakeType/,
    );
    expect(ingest.stderr).toMatch(/too many rows quarantined/);
    const jobId = /catdata quarantine ([0-9a-f]{20})/.exec(ingest.stdout)?.[1];
    expect(jobId).toBeDefined();

    // `catdata quarantine <job> | head -1`, through a real pipe (the output is larger than its buffer).
    const piped = spawn(
      "bash",
      [
        "-c",
        `"${process.execPath}" "${bin}" quarantine ${jobId} | head -1; echo "catdata exited $\{PIPESTATUS[0]}" >&2`,
      ],
      { cwd: home, env },
    );
    let stdout = "";
    let stderr = "";
    piped.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    piped.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    await new Promise((resolve) => piped.on("close", resolve));
    expect(stdout).toMatch(/^row\s+reason\n$/);
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(stderr).toMatch(/catdata exited 0/);
  }, 60_000);
});
