import { badInput } from "../errors.js";

/**
 * A call as a person or a model names it, resolved to the event key the model spells
 * (`eventSource:eventName`): the key itself (`s3.amazonaws.com:ListObjects`), a short service
 * (`s3:ListObjects`), or a bare event name (`ListObjects`), matched exactly first and then ignoring
 * case. A name several services share is ambiguous and one the trail never saw is unknown: both
 * are errors saying so (listing the choices), never a guess — an unknown key fed to the model
 * would be "predicted" from the session's own calls.
 */
export const MAX_KEY_CHOICES = 10;

function candidates(keys: readonly string[], name: string, fold: (s: string) => string): string[] {
  const colon = name.lastIndexOf(":");
  const service = colon < 0 ? undefined : fold(name.slice(0, colon));
  const action = fold(colon < 0 ? name : name.slice(colon + 1));
  return keys.filter((key) => {
    const at = key.lastIndexOf(":");
    if (fold(key.slice(at + 1)) !== action) return false;
    if (service === undefined) return true;
    const source = fold(key.slice(0, at));
    return source === service || source === `${service}.amazonaws.com`;
  });
}

export function resolveEventKey(known: Iterable<string>, name: string, hint: string): string {
  const keys = [...known];
  if (keys.includes(name)) return name;
  let matches = candidates(keys, name, (s) => s);
  if (matches.length === 0) matches = candidates(keys, name, (s) => s.toLowerCase());
  matches.sort();
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length > 1) {
    const shown = matches.slice(0, MAX_KEY_CHOICES).join(", ");
    const more = matches.length > MAX_KEY_CHOICES ? ` and ${matches.length - MAX_KEY_CHOICES} more` : "";
    throw badInput(
      `the call ${JSON.stringify(name)} is ambiguous: it could be ${shown}${more}`,
      "name it as eventSource:eventName",
    );
  }
  throw badInput(`no call ${JSON.stringify(name)} in the trail`, hint);
}
