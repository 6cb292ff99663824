/**
 * Pins a clean synth: no stack of the default or the alternative configuration carries a warning or an error
 * annotation (CDK's own, e.g. a setting CloudFront ignores or an unset cross-stack reference strength), so what
 * `npm run synth` prints is only what needs attention. cdk-nag's findings are pinned by nag.test.ts.
 */
import { Annotations, Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { buildTestApp } from "./synth.js";

const configurations: Record<string, Record<string, string>> = {
  default: {},
  alternative: {
    withWarehouse: "false",
    withConfigRecorder: "true",
    albCertificateArn: "arn:aws:acm:ap-northeast-1:123456789012:certificate/alb",
    cdnDomainName: "cats.example.org",
    cdnCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/cdn",
  },
};

describe("CDK annotations", () => {
  for (const [name, context] of Object.entries(configurations)) {
    it(`has no warning or error in any stack (${name} configuration)`, () => {
      const { stacks } = buildTestApp(context);
      const found = Object.values(stacks)
        .filter((stack) => stack !== undefined)
        .flatMap((stack) => {
          const annotations = Annotations.fromStack(stack);
          return [
            ...annotations.findWarning("*", Match.anyValue()),
            ...annotations.findError("*", Match.anyValue()),
          ].map((a) => `${a.id}: ${String(a.entry.data).split("\n")[0]}`);
        });
      expect(found).toEqual([]);
    });
  }
});
