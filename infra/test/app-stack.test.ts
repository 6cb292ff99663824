/**
 * Pins design 000's application: the ALB reachable only from the home CIDR, the Fargate task reachable only from the
 * ALB on 8501 (web) and 8080 (health), the health check on 8080 /healthcheck, the image built from the repository's
 * Dockerfile, and a task role limited to Claude models on Bedrock. Step 9: the task answers behind the ALB (its DNS
 * name and appDomainName in CATDATA_ALLOWED_HOSTS, CATDATA_TRUST_PROXY on), its role holds exactly the S3 prefixes,
 * Athena and Glue calls the app makes (no MCP URL, no KMS), and with the Cognito pool it gets the pool's ids.
 */
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../lib/config.js";
import { AppStack, auditTrailPrefixes, TASK_STORAGE } from "../lib/stacks/app-stack.js";
import { asArray, buildTestApp, type PolicyStatementJson, TEST_ENV } from "./synth.js";

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

  const environment = (t: Template): Record<string, unknown> => {
    const [task] = Object.values(t.findResources("AWS::ECS::TaskDefinition"));
    const vars = task?.Properties.ContainerDefinitions[0].Environment as { Name: string; Value: unknown }[];
    return Object.fromEntries(vars.map((v) => [v.Name, v.Value]));
  };
  const albId = Object.keys(template.findResources("AWS::ElasticLoadBalancingV2::LoadBalancer"))[0];

  it("tells the task the names it is reached by (the ALB's DNS name) and to trust the ALB's X-Forwarded-For", () => {
    const env = environment(template);
    expect(env.CATDATA_ALLOWED_HOSTS).toEqual({ "Fn::GetAtt": [albId, "DNSName"] });
    expect(env.CATDATA_TRUST_PROXY).toBe("true");
    expect(env.AWS_REGION).toBe(TEST_ENV.region);
  });

  it("adds appDomainName to the allowed hosts, and refuses a value that is no DNS name", () => {
    const custom = Template.fromStack(
      buildTestApp({
        appDomainName: "Cats.Example.org",
        albCertificateArn: "arn:aws:acm:ap-northeast-1:1:certificate/x",
      }).stacks.app,
    );
    const id = Object.keys(custom.findResources("AWS::ElasticLoadBalancingV2::LoadBalancer"))[0];
    expect(environment(custom).CATDATA_ALLOWED_HOSTS).toEqual({
      "Fn::Join": ["", [{ "Fn::GetAtt": [id, "DNSName"] }, ",cats.example.org"]],
    });
    expect(() => resolveConfig({ appDomainName: "https://cats.example.org" })).toThrow(/appDomainName.*DNS name/);
    expect(() => resolveConfig({ appDomainName: "cats example" })).toThrow(/appDomainName/);
  });

  const taskStatements = (t: Template): PolicyStatementJson[] => {
    const roleId = Object.entries(t.findResources("AWS::IAM::Role")).find(
      ([, r]) =>
        JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes("ecs-tasks.amazonaws.com") &&
        /Bedrock/.test(String(r.Properties.Description)),
    )?.[0];
    return Object.values(t.findResources("AWS::IAM::Policy"))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement);
  };
  const statements = taskStatements(template);
  /** The object prefixes of the test bucket the statements with `action` cover (CDK merges equal statements). */
  const prefixesFor = (action: string) => {
    const bucket = `arn:aws:s3:::cat-data-bucket-${TEST_ENV.account}-${TEST_ENV.region}/`;
    return statements
      .filter((s) => asArray(s.Action).includes(action))
      .flatMap((s) => asArray(s.Resource as string | string[]))
      .map((r) => JSON.stringify(r))
      .filter((r) => r.includes(bucket))
      .map((r) => JSON.parse(r).replace(bucket, "").replace(/\*$/, ""))
      .filter((p, i, all) => all.indexOf(p) === i)
      .sort();
  };
  const trail = auditTrailPrefixes(TEST_ENV.account, TEST_ENV.region);

  it("lets the task read, write, upload and delete exactly the bucket prefixes the app uses", () => {
    expect(prefixesFor("s3:GetObject")).toEqual([...TASK_STORAGE.read, ...trail, "athena-query-results/"].sort());
    expect(prefixesFor("s3:PutObject")).toEqual([...TASK_STORAGE.put, ...trail, "athena-query-results/"].sort());
    expect(prefixesFor("s3:AbortMultipartUpload")).toEqual(
      [...TASK_STORAGE.multipart, ...trail, "athena-query-results/"].sort(),
    );
    expect(prefixesFor("s3:DeleteObject")).toEqual([...TASK_STORAGE.delete, "athena-query-results/"].sort());
    expect(trail).toEqual([
      "AWSLogs/123456789012/CloudTrail/ap-northeast-1/",
      "AWSLogs/123456789012/CloudTrail-Digest/ap-northeast-1/",
    ]);
    // Listing is allowed under those prefixes only.
    const listed = statements
      .filter((s) => asArray(s.Action).includes("s3:ListBucket"))
      .flatMap((s) => asArray((s.Condition as { StringLike: { "s3:prefix": string[] } }).StringLike["s3:prefix"]));
    for (const prefix of [...TASK_STORAGE.read, ...trail]) expect(listed).toContain(`${prefix}*`);
    expect(listed.every((p) => !p.startsWith("*"))).toBe(true);
    // Never the whole bucket, never a wildcard action, no KMS (the bucket is SSE-S3), no MCP Function URL.
    const actions = statements.flatMap((s) => asArray(s.Action));
    expect(actions.filter((a) => a.includes("*"))).toEqual([]);
    expect(actions.filter((a) => /^(kms|lambda):/.test(a))).toEqual([]);
    expect(statements.flatMap((s) => asArray(s.Resource as string[])).map((r) => JSON.stringify(r))).not.toContain(
      JSON.stringify(`arn:aws:s3:::cat-data-bucket-${TEST_ENV.account}-${TEST_ENV.region}/*`),
    );
  });

  it("lets the task run Athena in the workgroup, list the catalog's tables and read the catdata database", () => {
    const byAction = (action: string) => statements.filter((s) => asArray(s.Action).includes(action));
    for (const action of ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults"]) {
      expect(JSON.stringify(byAction(action).map((s) => s.Resource))).toContain("workgroup/catdata");
    }
    expect(byAction("athena:ListTableMetadata").map((s) => s.Resource)).toEqual([
      "arn:aws:athena:ap-northeast-1:123456789012:datacatalog/AwsDataCatalog",
    ]);
    for (const action of ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartitions"]) {
      const resources = JSON.stringify(byAction(action).map((s) => s.Resource));
      expect(resources).toContain("database/catdata");
      expect(resources).toContain("table/catdata/*");
    }
  });

  it("without the Cognito pool the task gets no pool ids; with it, the pool's and the client's", () => {
    const fresh = buildTestApp({ homeCidr: "198.51.100.7/32" });
    const props = {
      config: resolveConfig({ homeCidr: "198.51.100.7/32" }),
      env: TEST_ENV,
      vpc: fresh.stacks.network.vpc,
      dataLake: fresh.stacks.dataLake,
      behaviour: fresh.stacks.behaviour,
    };
    const localPool = new AppStack(fresh.app, "Catdata-AppLocalPool", props);
    const signedIn = new AppStack(fresh.app, "Catdata-AppWithCognito", {
      ...props,
      signIn: { userPool: fresh.stacks.api.userPool, client: fresh.stacks.api.userPoolClient },
    });
    const local = environment(Template.fromStack(localPool));
    expect(local.CATDATA_USER_POOL_ID).toBeUndefined();
    expect(local.CATDATA_USER_POOL_CLIENT_ID).toBeUndefined();
    const env = environment(Template.fromStack(signedIn));
    expect(JSON.stringify(env.CATDATA_USER_POOL_ID)).toMatch(/Fn::ImportValue.*Catdata-Api:ExportsOutputRefUsers/);
    expect(JSON.stringify(env.CATDATA_USER_POOL_CLIENT_ID)).toMatch(
      /Fn::ImportValue.*Catdata-Api:ExportsOutputRefUsersWebClient/,
    );
  });

  it("is wired to the Cognito pool in the app itself (no local admin in AWS)", () => {
    const env = environment(template);
    expect(JSON.stringify(env.CATDATA_USER_POOL_ID)).toMatch(/Fn::ImportValue.*Catdata-Api:ExportsOutputRefUsers/);
    expect(JSON.stringify(env.CATDATA_USER_POOL_CLIENT_ID)).toMatch(/Catdata-Api:ExportsOutputRefUsersWebClient/);
  });
});
