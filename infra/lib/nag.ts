import { Stack, Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/**
 * Acknowledges cdk-nag findings on one construct (and its children), always with the reason.
 * Keep ids exact: `AwsSolutions-IAM5[Resource::…]`, not `AwsSolutions-IAM5`, so a new finding still fails the nag test.
 */
export function acknowledge(scope: IConstruct, reason: string, ...ids: string[]): void {
  if (ids.length === 0) throw new Error("acknowledge: give at least one rule id");
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges `AwsSolutions-IAM5[Resource::<arn>]` for exactly these ARNs, spelled as cdk-nag spells them: the ARN is
 * resolved in the scope's stack and flattened like cdk-nag's `flattenCfnReference` (`${X}` and Ref → `<X>`,
 * GetAtt → `<Id.Attr>`, Fn::Join joined). Pass ARNs built from names and pseudo parameters, not cross-stack tokens.
 */
export function acknowledgeWildcardResources(scope: IConstruct, reason: string, arns: readonly string[]): void {
  const stack = Stack.of(scope);
  const ids = arns.map((arn) => `AwsSolutions-IAM5[Resource::${flattenCfnReference(stack.resolve(arn))}]`);
  if (ids.length > 0) acknowledge(scope, reason, ...ids);
}

type Json = string | number | boolean | null | undefined | Json[] | { [key: string]: Json };

/** Mirrors cdk-nag 3's utils/flatten-cfn-reference (not exported by the package). */
export function flattenCfnReference(node: Json): string {
  if (node === undefined) return "";
  if (typeof node === "string") return node.replace(/\$\{/g, "<").replace(/}/g, ">");
  if (typeof node === "object" && node !== null && !Array.isArray(node)) {
    const join = node["Fn::Join"];
    if (Array.isArray(join)) {
      const [delimiter, items] = join as [string, Json[]];
      return items.map(flattenCfnReference).join(delimiter);
    }
    if (node["Fn::Sub"] !== undefined) return flattenCfnReference(node["Fn::Sub"]);
    const getAtt = node["Fn::GetAtt"];
    if (Array.isArray(getAtt)) return `<${flattenCfnReference(getAtt[0])}.${flattenCfnReference(getAtt[1])}>`;
    if (node["Fn::ImportValue"] !== undefined) return flattenCfnReference(node["Fn::ImportValue"]);
    if (node.Ref !== undefined) return `<${flattenCfnReference(node.Ref)}>`;
  }
  return JSON.stringify(node);
}
