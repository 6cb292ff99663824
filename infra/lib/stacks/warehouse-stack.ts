import { ArnFormat, CfnDeletionPolicy, Stack, type StackProps } from "aws-cdk-lib";
import type * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as redshift from "aws-cdk-lib/aws-redshift";
import type { Construct } from "constructs";
import type { CatdataInfraConfig } from "../config.js";
import { grantCatalogRead, grantPrefixRead } from "../constructs/data-lake-access.js";
import { acknowledge } from "../nag.js";
import { DATA_LAKE, type DataLakeStack } from "./data-lake-stack.js";

export interface WarehouseStackProps extends StackProps {
  readonly config: CatdataInfraConfig;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly dataLake: DataLakeStack;
}

export const WAREHOUSE = {
  clusterIdentifier: "cat-data-cluster",
  databaseName: "catdata",
  masterUsername: "catdata_admin",
  port: 5439,
} as const;

/**
 * Design 003's Redshift `cat-data-cluster` (QuickSight's data source), with the L1 `CfnCluster` because the L2 is
 * alpha: encrypted, in the private subnets behind `allow-redshift`, not public, TLS required, audit and user-activity
 * logs, master password generated and kept by Redshift in Secrets Manager (never in code or in the template).
 * The cluster role reads `curated/` and the Glue catalog, so Redshift Spectrum queries the lake without a loader.
 */
export class WarehouseStack extends Stack {
  readonly cluster: redshift.CfnCluster;
  /** Secrets Manager ARN of the generated master credentials. */
  readonly masterSecretArn: string;

  constructor(scope: Construct, id: string, props: WarehouseStackProps) {
    super(scope, id, props);
    const { config, vpc, securityGroup, dataLake } = props;

    const subnets = new redshift.CfnClusterSubnetGroup(this, "SubnetGroup", {
      description: "catdata private subnets (10.0.10.0/24, 10.0.11.0/24)",
      subnetIds: vpc.selectSubnets({ subnetGroupName: "private" }).subnetIds,
    });
    const parameters = new redshift.CfnClusterParameterGroup(this, "Parameters", {
      description: "catdata: TLS only, user activity logging",
      parameterGroupFamily: "redshift-1.0",
      parameters: [
        { parameterName: "require_ssl", parameterValue: "true" },
        { parameterName: "enable_user_activity_logging", parameterValue: "true" },
      ],
    });

    const role = new iam.Role(this, "SpectrumRole", {
      assumedBy: new iam.ServicePrincipal("redshift.amazonaws.com"),
      description: "cat-data-cluster: Redshift Spectrum over curated/ through the Glue catalog",
    });
    grantCatalogRead(role, dataLake.databaseName);
    grantPrefixRead(role, dataLake.bucketName, [DATA_LAKE.curatedPrefix]);

    const multiNode = config.warehouseNodeCount > 1;
    const isRa3 = config.warehouseNodeType.startsWith("ra3.");
    this.cluster = new redshift.CfnCluster(this, "Cluster", {
      clusterIdentifier: WAREHOUSE.clusterIdentifier,
      // ra3.large by default: design 003's dc2.large can no longer be created (config.ts checks the node count).
      nodeType: config.warehouseNodeType,
      clusterType: multiNode ? "multi-node" : "single-node",
      ...(multiNode ? { numberOfNodes: config.warehouseNodeCount } : {}),
      // Multi-AZ would need a subnet group over three AZs (config.ts refuses it on this two-AZ network). An RA3
      // cluster keeps its data in managed storage and is relocated, same endpoint, to the other AZ when its AZ fails.
      multiAz: config.warehouseMultiAz,
      ...(isRa3 ? { availabilityZoneRelocation: true } : {}),
      dbName: WAREHOUSE.databaseName,
      masterUsername: WAREHOUSE.masterUsername,
      manageMasterPassword: true,
      encrypted: true,
      publiclyAccessible: false,
      port: WAREHOUSE.port,
      clusterSubnetGroupName: subnets.ref,
      vpcSecurityGroupIds: [securityGroup.securityGroupId],
      clusterParameterGroupName: parameters.ref,
      enhancedVpcRouting: true,
      iamRoles: [role.roleArn],
      automatedSnapshotRetentionPeriod: 7,
      allowVersionUpgrade: true,
      preferredMaintenanceWindow: "sun:18:00-sun:18:30",
      loggingProperties: {
        logDestinationType: "cloudwatch",
        logExports: ["connectionlog", "useractivitylog", "userlog"],
      },
    });
    acknowledge(
      this.cluster,
      "5439 is the port QuickSight and Redshift drivers expect; the cluster is private and allow-redshift admits only the API tier, so another port would add no protection.",
      "AwsSolutions-RS4",
    );
    this.cluster.cfnOptions.deletionPolicy = CfnDeletionPolicy.SNAPSHOT;
    this.cluster.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.SNAPSHOT;
    this.masterSecretArn = this.cluster.attrMasterPasswordSecretArn;
  }

  /** Read the generated master credentials (the API tier connects with them until per-role users exist). */
  grantConnect(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      resourceArns: [this.masterSecretArn],
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ["redshift:DescribeClusters"],
      resourceArns: [
        this.formatArn({
          service: "redshift",
          resource: "cluster",
          resourceName: WAREHOUSE.clusterIdentifier,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    });
  }
}
