import { notFound } from "../errors.js";
import type { BehaviourModel } from "./model/behaviour-model.js";

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
