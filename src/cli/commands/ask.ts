import type { Command } from "commander";
import { isJapanese } from "../../agent/offline/question.js";
import { CliError, type GetContext } from "../context.js";
import { withRuntime } from "../with-runtime.js";
import { currentUser } from "./query.js";

/**
 * `catdata ask "…"`: the agent of the chat page in the terminal. The answer streams to stdout as the
 * model writes it, each tool call is noted on stderr; `--json` prints the final answer with its tool
 * calls instead. Conversations are kept per local user (`--conversation <id>` continues one).
 */
interface AskFlags {
  lang?: string;
  json?: boolean;
  conversation?: string;
}

const EXAMPLES = `
Examples:
  $ catdata ask "what did level1 do"
  $ catdata ask "what will level1 do next" --json
  $ catdata ask "when is level1 active"
  $ catdata ask "anomalies since 2018-11-28"
  $ catdata ask "level1 は次に何をしますか"           # answers in Japanese, times in JST
  $ catdata ask "cat KPIs for municipality 131041"
  $ catdata ask "and when is it active?" --conversation <id from the previous answer>

The model is chosen by CATDATA_AGENT_MODEL: offline (the default: no network, answers the questions
above from the tools), bedrock (Claude on Amazon Bedrock, region AWS_REGION) or openai (any
OpenAI-compatible endpoint: CATDATA_AGENT_OPENAI_BASE_URL, key in CATDATA_AGENT_OPENAI_API_KEY).
The tools are catdata's MCP server, in process (or CATDATA_AGENT_MCP_URL). See docs/agent.md.`;

export function registerAskCommand(program: Command, getContext: GetContext): void {
  program
    .command("ask")
    .description("ask the AI agent about the CloudTrail data (and cat KPIs); the answer streams as it is written")
    .argument("<question...>", 'the question, e.g. "what did alice do" (quotes optional)')
    .option("--lang <lang>", "ja | en (default: ja when the question is in Japanese, else en)")
    .option("--json", "print the final answer with its tool calls and cited event IDs as JSON")
    .option("--conversation <id>", "continue this conversation (its id is printed after each answer)")
    .addHelpText("after", EXAMPLES)
    .action(async (words: string[], opts: AskFlags) => {
      const ctx = getContext();
      const question = words.join(" ").trim();
      if (question === "") throw new CliError('ask a question, e.g. catdata ask "what did alice do"', 2);
      if (opts.lang !== undefined && opts.lang !== "ja" && opts.lang !== "en") {
        throw new CliError(`--lang must be ja or en (got ${opts.lang})`, 2);
      }
      const lang = (opts.lang as "ja" | "en" | undefined) ?? (isJapanese(question) ? "ja" : "en");
      await withRuntime(ctx, async (runtime) => {
        if (!ctx.config.agent.mcp.url && (await runtime.trail.parts()).length === 0) {
          throw new CliError(
            "no CloudTrail events are loaded, so the agent has nothing to answer from: " +
              "load some first with `catdata trail load <folder>` (e.g. ../shared/data/cloudtrail/flaws2)",
          );
        }
        let streamed = false;
        const answer = await runtime.agent.ask(question, {
          user: currentUser(),
          conversationId: opts.conversation,
          caller: null,
          lang,
          onText: opts.json
            ? undefined
            : (text) => {
                streamed = true;
                ctx.out.write(text);
              },
          onToolUse: opts.json ? undefined : ({ name, input }) => ctx.err.write(`→ ${name} ${JSON.stringify(input)}\n`),
        });
        if (opts.json) {
          ctx.out.write(`${JSON.stringify({ question, ...answer }, null, 2)}\n`);
          return;
        }
        if (!streamed) ctx.out.write(answer.text);
        ctx.out.write("\n");
        const model = answer.model.offline ? "offline model" : `${answer.model.provider} ${answer.model.modelId}`;
        ctx.err.write(`(${model}; conversation ${answer.conversationId})\n`);
      });
    });
}
