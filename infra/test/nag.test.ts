/**
 * Pins cdk-nag AwsSolutions over the whole app: zero unacknowledged findings (errors and warnings), for the default
 * configuration and for the alternative one (no warehouse, MFA, certificates, Config recorder), and no stale
 * acknowledgement: each one matches a finding the rules really raise on that construct.
 */
import { type App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { describe, expect, it } from "vitest";
import { buildTestApp } from "./synth.js";

function findings(app: App, ignoreAcknowledgements = false): { rule: string; path: string; severity?: string }[] {
  app.synth();
  const pack = new AwsSolutionsChecks();
  if (ignoreAcknowledgements) {
    (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  }
  return pack
    .validateScope(app)
    .violations.flatMap((v) =>
      v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? "?", severity: v.severity })),
    );
}

function acknowledgements(app: App): { id: string; path: string }[] {
  return app.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.keys(m.data as Record<string, string>))
      .map((key) => ({ id: key.replace(/^annotation::/i, ""), path: c.node.path }))
      // CDK's own constructs acknowledge some of its built-in CloudFormation-Validate rules; ours are cdk-nag's.
      .filter((ack) => ack.id.startsWith("AwsSolutions-")),
  );
}

const defaults = buildTestApp().app;
const alternative = buildTestApp({
  withWarehouse: "false",
  requireMfa: "true",
  cognitoPlusTier: "false",
  withConfigRecorder: "true",
  albCertificateArn: "arn:aws:acm:ap-northeast-1:123456789012:certificate/alb",
  cdnDomainName: "cats.example.org",
  cdnCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/cdn",
}).app;

describe("cdk-nag AwsSolutions", () => {
  it("reports no unacknowledged finding with the default configuration", () => {
    expect(findings(defaults)).toEqual([]);
  });

  it("reports no unacknowledged finding with the alternative configuration", () => {
    expect(findings(alternative)).toEqual([]);
  });

  it("has no stale acknowledgement", () => {
    for (const app of [defaults, alternative]) {
      const raw = findings(app, true);
      expect(raw.length).toBeGreaterThan(0);
      const stale = acknowledgements(app).filter(
        (ack) => !raw.some((f) => f.rule === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`))),
      );
      expect(stale).toEqual([]);
    }
  });

  it("still fails on a finding nobody acknowledged", () => {
    const app = buildTestApp({ cognitoPlusTier: "false" }).app;
    // Remove the COG8 acknowledgement the stack makes for this setting: the finding must come back.
    const pool = app.node.findAll().find((c) => c.node.path === "Catdata-Api/Users");
    expect(pool).toBeDefined();
    const metadata = pool!.node.metadata as { type: string; data: Record<string, string> }[];
    for (const m of metadata) {
      if (m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
        for (const key of Object.keys(m.data)) if (key.endsWith("AwsSolutions-COG8")) delete m.data[key];
      }
    }
    expect(findings(app).map((f) => f.rule)).toContain("AwsSolutions-COG8");
  });
});
