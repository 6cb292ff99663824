/**
 * Pins design 003's network: VPC 10.0.0.0/16, public 10.0.0.0/24 + 10.0.1.0/24, private 10.0.10.0/24 + 10.0.11.0/24
 * over two AZs, flow logs, allow-ssh from the admin CIDR only, allow-redshift from allow-https only, the NACLs.
 */
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { buildTestApp } from "./synth.js";

const { stacks } = buildTestApp({ adminCidr: "198.51.100.10/32" });
const template = Template.fromStack(stacks.network);

describe("NetworkStack", () => {
  it("creates the VPC with exactly the design's CIDRs", () => {
    template.hasResourceProperties("AWS::EC2::VPC", { CidrBlock: "10.0.0.0/16" });
    const subnets = Object.values(template.findResources("AWS::EC2::Subnet")).map((r) => ({
      cidr: r.Properties.CidrBlock as string,
      public: r.Properties.MapPublicIpOnLaunch as boolean | undefined,
      tags: r.Properties.Tags as { Key: string; Value: string }[],
    }));
    const byType = (type: string) =>
      subnets
        .filter((s) => s.tags.some((t) => t.Key === "aws-cdk:subnet-type" && t.Value === type))
        .map((s) => s.cidr)
        .sort();
    expect(subnets).toHaveLength(4);
    expect(byType("Public")).toEqual(["10.0.0.0/24", "10.0.1.0/24"]);
    expect(byType("Private")).toEqual(["10.0.10.0/24", "10.0.11.0/24"]);
  });

  it("logs all VPC traffic", () => {
    template.hasResourceProperties("AWS::EC2::FlowLog", { ResourceType: "VPC", TrafficType: "ALL" });
  });

  it("opens allow-ssh to the admin CIDR only", () => {
    template.hasResourceProperties("AWS::EC2::SecurityGroup", {
      GroupName: "allow-ssh",
      SecurityGroupIngress: [
        { CidrIp: "198.51.100.10/32", FromPort: 22, ToPort: 22, IpProtocol: "tcp", Description: Match.anyValue() },
      ],
    });
  });

  it("opens allow-redshift on 5439 to allow-https only", () => {
    const groups = template.findResources("AWS::EC2::SecurityGroup");
    const idOf = (name: string) => Object.entries(groups).find(([, r]) => r.Properties.GroupName === name)?.[0];
    const redshift = idOf("allow-redshift");
    const https = idOf("allow-https");
    expect(redshift && https).toBeTruthy();
    expect(groups[redshift!]?.Properties.SecurityGroupIngress).toBeUndefined();
    const ingress = Object.values(template.findResources("AWS::EC2::SecurityGroupIngress")).filter((r) =>
      JSON.stringify(r.Properties.GroupId).includes(redshift!),
    );
    expect(ingress).toHaveLength(1);
    expect(ingress[0]?.Properties).toMatchObject({
      FromPort: 5439,
      ToPort: 5439,
      SourceSecurityGroupId: { "Fn::GetAtt": [https, "GroupId"] },
    });
  });

  it("admits HTTP/HTTPS into the public NACL and Redshift into the private one", () => {
    template.resourceCountIs("AWS::EC2::NetworkAcl", 2);
    for (const port of [80, 443]) {
      template.hasResourceProperties("AWS::EC2::NetworkAclEntry", {
        Egress: false,
        RuleAction: "allow",
        CidrBlock: "0.0.0.0/0",
        PortRange: { From: port, To: port },
      });
    }
    template.hasResourceProperties("AWS::EC2::NetworkAclEntry", {
      Egress: false,
      CidrBlock: "10.0.0.0/16",
      PortRange: { From: 5439, To: 5439 },
    });
  });
});
