import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { badInput, CatdataError } from "../../errors.js";
import { DEFAULT_ANSWER_BYTES, fitToBudget, MAX_ANSWER_BYTES } from "./answer-budget.js";

/**
 * How the behaviour tools answer: the result as JSON text and as structured content; a CatdataError
 * (unknown principal, bad time, …) as a tool error whose text says what to do — naming the tool to
 * use where the shared code's hint names a command line (`catdata trail principals` →
 * list_principals). Other errors throw. Also the pieces every paged tool shares: the `maxBytes` and
 * `nextToken` inputs and the page token itself.
 */
export async function toolResult(run: () => Promise<Record<string, unknown>>): Promise<CallToolResult> {
  try {
    const structured = await run();
    return { content: [{ type: "text", text: JSON.stringify(structured) }], structuredContent: structured };
  } catch (error) {
    if (!(error instanceof CatdataError)) throw error;
    return { isError: true, content: [{ type: "text", text: toolErrorText(error) }] };
  }
}

/** CLI commands in shared hints, and what a model using the MCP tools does instead. */
export const TOOL_HINTS: readonly (readonly [RegExp, string])[] = [
  [/`catdata trail principals`/g, "the list_principals tool"],
  [/`catdata trail load[^`]*`/g, "the operator's `catdata trail load` (get_data_status shows what is loaded)"],
  [/`catdata trail train[^`]*`/g, "the operator's `catdata trail train --rebuild` (get_data_status shows the model)"],
];

export function toolErrorText(error: CatdataError): string {
  let hint = error.hint;
  for (const [pattern, replacement] of TOOL_HINTS) hint = hint?.replace(pattern, replacement);
  return hint ? `${error.message} (${hint})` : error.message;
}

/** The inputs of a tool whose answer is paged and bounded. */
export const pagingInput = {
  nextToken: z
    .string()
    .min(1)
    .max(2048)
    .optional()
    .describe("The nextToken of the previous answer, to get the next page (same other arguments)"),
  maxBytes: z
    .number()
    .int()
    .min(1024)
    .max(MAX_ANSWER_BYTES)
    .optional()
    .describe(
      `Size budget of the answer in bytes of JSON (default ${DEFAULT_ANSWER_BYTES}, at most ${MAX_ANSWER_BYTES})`,
    ),
};

/**
 * A page token: where the next page starts, bound to the query it pages (a token of another query
 * is refused, not silently applied), with what the first page fixed (`pin`: e.g. a relative time
 * resolved once, so every page ranks the same events). Opaque base64url of `{ q, o, p }`.
 */
export function pageToken(tool: string, query: unknown, offset: number, pin?: string): string {
  const token = { q: JSON.stringify([tool, query]), o: offset, ...(pin === undefined ? {} : { p: pin }) };
  return Buffer.from(JSON.stringify(token), "utf8").toString("base64url");
}

/** Where a page starts (0 without a token), checking the token belongs to this query. */
export function pageOffset(tool: string, query: unknown, token: string | undefined): number {
  return readPageToken(tool, query, token).offset;
}

export function readPageToken(
  tool: string,
  query: unknown,
  token: string | undefined,
): { offset: number; pin: string | undefined } {
  if (token === undefined) return { offset: 0, pin: undefined };
  let decoded: { q?: unknown; o?: unknown; p?: unknown } | undefined;
  try {
    decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as typeof decoded;
  } catch {
    decoded = undefined;
  }
  const offset = decoded?.o;
  if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0)
    throw badInput(`nextToken is not a ${tool} page token`, `call ${tool} again without nextToken`);
  if (decoded?.q !== JSON.stringify([tool, query]))
    throw badInput(
      `nextToken belongs to another ${tool} query`,
      "repeat the other arguments of the call that returned it, or start again without nextToken",
    );
  return { offset, pin: typeof decoded?.p === "string" ? decoded.p : undefined };
}

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value), "utf8");

/**
 * A page of `items` (starting at `offset` of `total`) that fits `budget` with its own nextToken: the
 * longest prefix that fits (at least one item, so paging always moves on), and the token of where
 * the next page starts when there is more.
 */
export function fitPage<T>(
  items: readonly T[],
  options: {
    offset: number;
    total: number;
    budget: number;
    token: (nextOffset: number) => string;
    wrap: (items: T[], nextToken: string | undefined) => unknown;
  },
): T[] {
  const { offset, total, budget, token, wrap } = options;
  const tokenAfter = (n: number) => (offset + n < total ? token(offset + n) : undefined);
  let { items: kept } = fitToBudget(items, (xs) => wrap(xs, token(offset + items.length)), budget);
  if (kept.length === 0) kept = items.slice(0, 1);
  // The probe token may be shorter than the real one (a smaller offset): drop items until it fits.
  while (kept.length > 1 && bytesOf(wrap(kept, tokenAfter(kept.length))) > budget) kept = kept.slice(0, -1);
  return kept;
}
