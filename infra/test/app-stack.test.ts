/**
 * Pins design 000's application: the ALB reachable only from the home CIDR, the Fargate task reachable only from the
 * ALB on 8501 (web) and 8080 (health), the health check on 8080 /healthcheck, the image built from the repository's
 * Dockerfile, and a task role limited to Claude models on Bedrock.
 */
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { asArray, buildTestApp, type PolicyStatementJson } from "./synth.js";

const { stacks } = buildTestApp({ homeCidr: "198.51.100.7/32" });
const template = Template.fromStack(stacks.app);
const groups = template.findResources("AWS::EC2::SecurityGroup");
const groupId = (description: RegExp) =>
  Object.entries(groups).find(([, r]) => description.test(r.Properties.GroupDescription))?.[0];
const albSg = groupId(/ALB/)!;
const serviceSg = groupId(/Fargate/)!;

describe("AppStack", () => {
  it("lets only the home CIDR reach the ALB, on 80", () => {
    expect(groups[albSg]?.Properties.SecurityGroupIngress).toEqual([
      { CidrIp: "198.51.100.7/32", Description: "80 from home", FromPort: 80, IpProtocol: "tcp", ToPort: 80 },
    ]);
    const extra = Object.values(template.findResources("AWS::EC2::SecurityGroupIngress")).filter((r) =>
      JSON.stringify(r.Properties.GroupId).includes(albSg),
    );
    expect(extra).toEqual([]);
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", {
      Scheme: "internet-facing",
      LoadBalancerAttributes: Match.arrayWith([{ Key: "access_logs.s3.enabled", Value: "true" }]),
    });
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", { Port: 80, Protocol: "HTTP" });
  });

  it("lets only the ALB reach the task, on 8501 and 8080", () => {
    expect(groups[serviceSg]?.Properties.SecurityGroupIngress).toBeUndefined();
    const ingress = Object.values(template.findResources("AWS::EC2::SecurityGroupIngress"))
      .filter((r) => JSON.stringify(r.Properties.GroupId).includes(serviceSg))
      .map((r) => ({
        from: r.Properties.FromPort,
        to: r.Properties.ToPort,
        source: r.Properties.SourceSecurityGroupId,
        cidr: r.Properties.CidrIp,
      }))
      .sort((a, b) => a.from - b.from);
    const fromAlb = { "Fn::GetAtt": [albSg, "GroupId"] };
    expect(ingress).toEqual([
      { from: 8080, to: 8080, source: fromAlb, cidr: undefined },
      { from: 8501, to: 8501, source: fromAlb, cidr: undefined },
    ]);
  });

  it("forwards to 8501 and health-checks 8080 /healthcheck", () => {
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", {
      Port: 8501,
      TargetType: "ip",
      HealthCheckPort: "8080",
      HealthCheckPath: "/healthcheck",
    });
    template.hasResourceProperties("AWS::ECS::TaskDefinition", {
      ContainerDefinitions: [
        Match.objectLike({
          PortMappings: [Match.objectLike({ ContainerPort: 8501 }), Match.objectLike({ ContainerPort: 8080 })],
          Environment: Match.arrayWith([{ Name: "CATDATA_HOST", Value: "0.0.0.0" }]),
          Image: { "Fn::Sub": Match.stringLikeRegexp("container-assets") },
        }),
      ],
    });
    template.hasResourceProperties("AWS::ECS::Service", {
      LaunchType: "FARGATE",
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: "DISABLED" }) },
    });
  });

  it("lets the task invoke Anthropic Claude models only, and nothing else on Bedrock", () => {
    const statements = Object.values(template.findResources("AWS::IAM::Policy")).flatMap(
      (p) => (p.Properties.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement,
    );
    const bedrock = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith("bedrock:")));
    expect(bedrock).toHaveLength(1);
    expect(asArray(bedrock[0]?.Action)).toEqual(["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]);
    for (const resource of asArray(bedrock[0]?.Resource)) expect(resource).toMatch(/anthropic\.claude-\*$/);
  });
});
