import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { CatdataError } from "../../errors.js";

/**
 * How the behaviour tools answer: the result as JSON text and as structured content; a CatdataError
 * (unknown principal, bad time, …) as a tool error whose text says what to do. Other errors throw.
 */
export async function toolResult(run: () => Promise<Record<string, unknown>>): Promise<CallToolResult> {
  try {
    const structured = await run();
    return { content: [{ type: "text", text: JSON.stringify(structured) }], structuredContent: structured };
  } catch (error) {
    if (!(error instanceof CatdataError)) throw error;
    const text = error.hint ? `${error.message} (${error.hint})` : error.message;
    return { isError: true, content: [{ type: "text", text }] };
  }
}
