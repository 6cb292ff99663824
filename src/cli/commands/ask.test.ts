/**
 * Pins `catdata ask` end to end through the CLI harness (a real runtime, the offline model, the
 * in-process MCP tools) on the flaws2 sample:
 * - the answer streams to stdout, the tool calls are noted on stderr with the conversation id
 * - --json prints the final answer with its tool calls, cited event IDs and model label
 * - --lang ja answers in Japanese with JST times; --conversation continues a conversation
 * - no CloudTrail data, a bad --lang and an empty question are clear CLI errors; --help has examples
 */
import path from "node:path";
import { Command } from "commander";
import { beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../config/config.js";
import { createTrailLake } from "../../runtime.js";
import { cliHarness } from "../../testing/cli-harness.js";
import { tempConfig } from "../../testing/fixtures.js";
import { loadTrailFolder } from "../../trail/lake/load-trail.js";
import { registerAskCommand } from "./ask.js";

const flaws2 = path.join(process.env.CATDATA_SAMPLES_DIR ?? path.resolve("../shared/data"), "cloudtrail", "flaws2");

let config: Config;
beforeAll(async () => {
  config = tempConfig();
  await loadTrailFolder(createTrailLake(config), flaws2);
});

describe("catdata ask", () => {
  it("streams the answer to stdout and notes the tool calls on stderr", async () => {
    const cli = cliHarness(config, registerAskCommand);
    await cli.run("ask", "what", "will", "level1", "do", "next");
    expect(cli.text.out).toContain("role:653711331788/level1 (AssumedRole)");
    expect(cli.text.out).toContain("Most likely next calls: logs.amazonaws.com:CreateLogStream");
    expect(cli.text.out).toMatch(/Events cited: [0-9a-f-]{36}/);
    expect(cli.text.out.endsWith("\n")).toBe(true);
    expect(cli.text.err).toContain('→ get_principal_profile {"principal":"level1"');
    expect(cli.text.err).toContain("→ predict_next_actions");
    expect(cli.text.err).toMatch(/\(offline model; conversation [0-9a-f-]{36}\)/);
  });

  it("prints the final answer with its tool calls as JSON, and continues a conversation", async () => {
    const cli = cliHarness(config, registerAskCommand);
    await cli.run("ask", "what did level1 do", "--json");
    const answer = JSON.parse(cli.text.out) as {
      question: string;
      text: string;
      conversationId: string;
      toolCalls: { name: string; status: string }[];
      eventIds: string[];
      model: { offline: boolean };
    };
    expect(answer.question).toBe("what did level1 do");
    expect(answer.model.offline).toBe(true);
    expect(answer.toolCalls.map((c) => c.name)).toEqual(
      expect.arrayContaining(["get_principal_profile", "lookup_events"]),
    );
    expect(answer.toolCalls.every((c) => c.status === "success")).toBe(true);
    expect(answer.eventIds.length).toBeGreaterThanOrEqual(5);
    for (const id of answer.eventIds) expect(answer.text).toContain(id);
    expect(cli.text.err).toBe("");

    const next = cliHarness(config, registerAskCommand);
    await next.run("ask", "いつアクティブですか", "--conversation", answer.conversationId, "--lang", "ja", "--json");
    const followUp = JSON.parse(next.text.out) as { text: string; conversationId: string; lang: string };
    expect(followUp.conversationId).toBe(answer.conversationId);
    expect(followUp.lang).toBe("ja");
    expect(followUp.text).toContain("role:653711331788/level1");
    expect(followUp.text).toContain("活動の多い時間帯(Asia/Tokyo)");
    expect(followUp.text).toContain("2018-11-29T08:06:33+09:00");
  });

  it("explains that there is no CloudTrail data to answer from", async () => {
    const cli = cliHarness(tempConfig(), registerAskCommand);
    await expect(cli.run("ask", "what did alice do")).rejects.toThrow(
      /no CloudTrail events are loaded.*catdata trail load <folder>/,
    );
    expect(cli.text.out).toBe("");
  });

  it("refuses a bad --lang and an empty question as usage errors", async () => {
    const cli = cliHarness(config, registerAskCommand);
    await expect(cli.run("ask", "hi", "--lang", "fr")).rejects.toMatchObject({
      exitCode: 2,
      message: /--lang must be ja or en/,
    });
    await expect(cli.run("ask", " ")).rejects.toMatchObject({ exitCode: 2 });
  });

  it("has a --help with examples and the model choice", async () => {
    let help = "";
    const program = new Command("catdata").exitOverride().configureOutput({ writeOut: (s) => (help += s) });
    registerAskCommand(program, () => {
      throw new Error("--help needs no context");
    });
    await expect(program.parseAsync(["ask", "--help"], { from: "user" })).rejects.toMatchObject({
      code: "commander.helpDisplayed",
    });
    expect(help).toContain("Usage: catdata ask [options] <question...>");
    expect(help).toContain("--lang <lang>");
    expect(help).toContain('catdata ask "what will level1 do next" --json');
    expect(help).toContain("CATDATA_AGENT_MODEL");
  });
});
