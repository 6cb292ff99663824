import { badInput } from "../../errors.js";

/**
 * The opaque `nextToken` of a tool: base64url JSON of whatever the tool needs to continue; a token
 * that does not decode to that shape is a tool error telling the model to pass it back unchanged.
 */
export const encodeToolToken = <T>(value: T): string => Buffer.from(JSON.stringify(value)).toString("base64url");

export function decodeToolToken<T>(token: string, isValid: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    value = undefined;
  }
  if (!isValid(value)) throw badInput("nextToken is not valid", "pass the nextToken of the previous answer unchanged");
  return value;
}
