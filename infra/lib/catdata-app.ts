import type { App, Environment } from "aws-cdk-lib";
import type { CatdataInfraConfig } from "./config.js";
import { ApiStack } from "./stacks/api-stack.js";
import { AppStack } from "./stacks/app-stack.js";
import { BehaviourStack } from "./stacks/behaviour-stack.js";
import { DataLakeStack } from "./stacks/data-lake-stack.js";
import { MonitoringStack } from "./stacks/monitoring-stack.js";
import { NetworkStack } from "./stacks/network-stack.js";
import { TrailStack } from "./stacks/trail-stack.js";
import { WarehouseStack } from "./stacks/warehouse-stack.js";

export interface CatdataStacks {
  readonly trail: TrailStack;
  readonly network: NetworkStack;
  readonly dataLake: DataLakeStack;
  readonly warehouse: WarehouseStack | undefined;
  readonly api: ApiStack;
  readonly behaviour: BehaviourStack;
  readonly app: AppStack;
  readonly monitoring: MonitoringStack;
}

export interface CatdataAppOptions {
  readonly env?: Environment;
}

/** Adds every catdata stack to `app`, wired in dependency order. Used by bin/catdata.ts and by the tests. */
export function addCatdataStacks(app: App, config: CatdataInfraConfig, options: CatdataAppOptions = {}): CatdataStacks {
  const name = (id: string) => `${config.stackPrefix}-${id}`;
  const common = { config, ...(options.env ? { env: options.env } : {}) };
  const tags = { project: "catdata" };

  const trail = new TrailStack(app, name("Trail"), { ...common, tags, description: "cat-data-trail (design 003)" });
  const network = new NetworkStack(app, name("Network"), {
    ...common,
    tags,
    description: "VPC, subnets, security groups, NACLs (design 003 network)",
  });
  const dataLake = new DataLakeStack(app, name("DataLake"), {
    ...common,
    tags,
    description: "cat-data-bucket, process-cat-data, Glue, Athena (design 003)",
  });
  const warehouse = config.withWarehouse
    ? new WarehouseStack(app, name("Warehouse"), {
        ...common,
        tags,
        description: "Redshift cat-data-cluster (design 003)",
        vpc: network.vpc,
        securityGroup: network.allowRedshift,
        dataLake,
      })
    : undefined;
  const api = new ApiStack(app, name("Api"), {
    ...common,
    tags,
    description: "Cognito cat-data-users, API Gateway cat-data-api, WAF, CloudFront (design 003)",
    vpc: network.vpc,
    securityGroup: network.allowHttps,
    dataLake,
    ...(warehouse ? { warehouse } : {}),
  });
  const behaviour = new BehaviourStack(app, name("Behaviour"), {
    ...common,
    tags,
    description: "CloudTrail MCP server Lambda with a streaming Function URL (design 000)",
    trailBucketName: trail.trailBucketName,
    dataLake,
  });
  behaviour.addStackDependency(trail, "reads the trail by name");
  behaviour.addStackDependency(dataLake, "reads the trail lake and the model in the data bucket by name");
  const appStack = new AppStack(app, name("App"), {
    ...common,
    tags,
    description: "Web UI + agent on Fargate behind an ALB open to the home CIDR (design 000)",
    vpc: network.vpc,
    dataLake,
    behaviour,
    // Sign-in through Cognito (no local admin in AWS): the task checks the pool's tokens.
    signIn: { userPool: api.userPool, client: api.userPoolClient },
  });
  // Grants and environments name the data lake's bucket, workgroup and database as strings: order the deployments.
  for (const consumer of [warehouse, api, appStack])
    consumer?.addStackDependency(dataLake, "uses the data lake by name");
  const monitoring = new MonitoringStack(app, name("Monitoring"), {
    ...common,
    tags,
    description: "Alarms, dashboard, optional AWS Config recorder (design 003 operations)",
    processor: dataLake.processor,
    apiHandler: api.handler,
    mcp: behaviour.mcp,
    api: api.api,
  });
  return { trail, network, dataLake, warehouse, api, behaviour, app: appStack, monitoring };
}
