import { RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as logs from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import type { CatdataInfraConfig } from "../config.js";
import { acknowledge } from "../nag.js";

export interface NetworkStackProps extends StackProps {
  readonly config: CatdataInfraConfig;
}

/** Design 003's network: the CIDRs it names, pinned exactly (reserved subnet groups skip 10.0.2.0–10.0.9.255). */
export const NETWORK_CIDRS = {
  vpc: "10.0.0.0/16",
  public: ["10.0.0.0/24", "10.0.1.0/24"],
  private: ["10.0.10.0/24", "10.0.11.0/24"],
} as const;

const REDSHIFT_PORT = 5439;

/**
 * VPC 10.0.0.0/16 over two AZs with flow logs, the design's security groups (allow-ssh, allow-https, allow-redshift)
 * and NACLs. Doc 000 used the default VPC; both halves of the product share this one instead.
 */
export class NetworkStack extends Stack {
  readonly vpc: ec2.Vpc;
  /** Bastion access: SSH only from `adminCidr`, never the world (the design leaves the source open). */
  readonly allowSsh: ec2.SecurityGroup;
  /** The API/Lambda tier: the functions that run in the VPC wear it; the only source allow-redshift trusts. */
  readonly allowHttps: ec2.SecurityGroup;
  /** The Redshift cluster: 5439 from allow-https only. */
  readonly allowRedshift: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.vpc = new ec2.Vpc(this, "Vpc", {
      ipAddresses: ec2.IpAddresses.cidr(NETWORK_CIDRS.vpc),
      ...(config.availabilityZones ? { availabilityZones: [...config.availabilityZones] } : { maxAzs: 2 }),
      natGateways: config.natGateways,
      subnetConfiguration: [
        { name: "public", subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        // Two reserved /23 groups per AZ move the private subnets to 10.0.10.0/24 and 10.0.11.0/24, as designed.
        { name: "reserved-a", subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 23, reserved: true },
        { name: "reserved-b", subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 23, reserved: true },
        { name: "private", subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
      ],
      gatewayEndpoints: { s3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });
    this.vpc.addFlowLog("FlowLogs", {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(
        new logs.LogGroup(this, "FlowLogGroup", {
          retention: config.logRetentionDays as logs.RetentionDays,
          removalPolicy: RemovalPolicy.RETAIN,
        }),
      ),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    this.allowSsh = new ec2.SecurityGroup(this, "AllowSsh", {
      vpc: this.vpc,
      securityGroupName: "allow-ssh",
      description: "SSH to a bastion, from the admin CIDR only",
      allowAllOutbound: true,
    });
    this.allowSsh.addIngressRule(ec2.Peer.ipv4(config.adminCidr), ec2.Port.tcp(22), "SSH from the admin CIDR");

    this.allowHttps = new ec2.SecurityGroup(this, "AllowHttps", {
      vpc: this.vpc,
      securityGroupName: "allow-https",
      description: "API tier (Lambdas in the VPC): HTTPS within the VPC; outbound for AWS APIs and the warehouse",
      allowAllOutbound: true,
    });
    this.allowHttps.addIngressRule(ec2.Peer.ipv4(NETWORK_CIDRS.vpc), ec2.Port.tcp(443), "HTTPS from inside the VPC");

    this.allowRedshift = new ec2.SecurityGroup(this, "AllowRedshift", {
      vpc: this.vpc,
      securityGroupName: "allow-redshift",
      description: "Redshift cluster: 5439 from the API tier only",
      allowAllOutbound: false,
    });
    this.allowRedshift.addIngressRule(this.allowHttps, ec2.Port.tcp(REDSHIFT_PORT), "Redshift from the API tier");

    this.addNacls();
  }

  /**
   * Design 003: public NACL inbound HTTP/HTTPS, private NACL inbound Redshift, outbound all. NACLs are stateless, so
   * both also admit the ephemeral ports (1024–65535) that replies come back on; the security groups stay the fine layer.
   */
  private addNacls(): void {
    const publicAcl = new ec2.NetworkAcl(this, "PublicNacl", {
      vpc: this.vpc,
      subnetSelection: { subnetType: ec2.SubnetType.PUBLIC },
    });
    const privateAcl = new ec2.NetworkAcl(this, "PrivateNacl", {
      vpc: this.vpc,
      subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });
    const anywhere = ec2.AclCidr.anyIpv4();
    const inside = ec2.AclCidr.ipv4(NETWORK_CIDRS.vpc);
    const inbound = [
      [publicAcl, 100, anywhere, ec2.AclTraffic.tcpPort(80)],
      [publicAcl, 110, anywhere, ec2.AclTraffic.tcpPort(443)],
      [publicAcl, 120, anywhere, ec2.AclTraffic.tcpPortRange(1024, 65535)],
      [privateAcl, 100, inside, ec2.AclTraffic.tcpPort(REDSHIFT_PORT)],
      [privateAcl, 110, inside, ec2.AclTraffic.tcpPort(443)],
      [privateAcl, 120, anywhere, ec2.AclTraffic.tcpPortRange(1024, 65535)],
    ] as const;
    for (const [acl, ruleNumber, cidr, traffic] of inbound) {
      acl.addEntry(`In${ruleNumber}`, { ruleNumber, cidr, traffic, direction: ec2.TrafficDirection.INGRESS });
    }
    for (const acl of [publicAcl, privateAcl]) {
      acknowledge(
        acl,
        "Design 003 asks for NACLs (public: HTTP/HTTPS in; private: Redshift in); security groups stay the fine-grained layer.",
        "AwsSolutions-VPC3",
      );
      acl.addEntry("OutAll", {
        ruleNumber: 100,
        cidr: anywhere,
        traffic: ec2.AclTraffic.allTraffic(),
        direction: ec2.TrafficDirection.EGRESS,
      });
    }
  }
}
