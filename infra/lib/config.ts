/**
 * The typed configuration of the AWS deployment: every knob has a default taken from the design documents
 * (003 for the cat-data platform, 000 for the CloudTrail behaviour side), parsed once from CDK context
 * (`-c key=value` or `cdk.json`) and validated here, so a stack never reads context itself.
 */

/**
 * Redshift node types the warehouse stack accepts. Design 003 names dc2.large, but AWS no longer creates DC2 clusters,
 * so the default is ra3.large (the smallest RA3); dc2.large stays accepted only for a cluster deployed before.
 */
export const WAREHOUSE_NODE_TYPES = ["dc2.large", "ra3.large", "ra3.xlplus", "ra3.4xlarge", "ra3.16xlarge"] as const;
export type WarehouseNodeType = (typeof WAREHOUSE_NODE_TYPES)[number];

/**
 * How many nodes CreateCluster accepts per node type ("node range with create cluster" in the Redshift Management
 * Guide, working-with-clusters.html; elastic resize may go further later). Conservative where AWS's table has moved:
 * ra3.large and ra3.xlplus 1–16 (single-node allowed), ra3.4xlarge 2–32 and ra3.16xlarge 2–128 (no single node),
 * dc2.large 1–32. A count outside the range fails the synth instead of the CloudFormation deploy.
 */
export const WAREHOUSE_NODE_RANGES: Readonly<
  Record<WarehouseNodeType, { readonly min: number; readonly max: number }>
> = {
  "dc2.large": { min: 1, max: 32 },
  "ra3.large": { min: 1, max: 16 },
  "ra3.xlplus": { min: 1, max: 16 },
  "ra3.4xlarge": { min: 2, max: 32 },
  "ra3.16xlarge": { min: 2, max: 128 },
};

/**
 * Availability Zones a Redshift Multi-AZ cluster's subnet group must span (AWS's Multi-AZ limitations: "the configured
 * subnet group requires three subnets" in three AZs). Design 003's network has two, so Multi-AZ cannot deploy on it.
 */
export const REDSHIFT_MULTI_AZ_SUBNET_AZS = 3;
/** The AZs of design 003's network (two public and two private subnets); NetworkStack builds exactly these. */
export const NETWORK_AZ_COUNT = 2;

/** The Lambda architectures catdata builds for, by the name CDK context uses (`-c lambdaArchitecture=x86_64`). */
export const LAMBDA_ARCHITECTURES = ["arm64", "x86_64"] as const;
export type LambdaArchitecture = (typeof LAMBDA_ARCHITECTURES)[number];

export interface CatdataInfraConfig {
  /** Prefix of every stack name (`Catdata-Network`, …). */
  readonly stackPrefix: string;
  /**
   * Deployment region; the design's ap-northeast-1 when unset (never the CLI's profile region or its us-east-1
   * fallback: a synth without `-c region=` is the same on every machine). The ALB's access logs need it at synth.
   */
  readonly region: string | undefined;
  /** Account to synthesise for (`-c account=123456789012`); environment-agnostic (a deploy-time value) when unset. */
  readonly account: string | undefined;
  /** The CPU every Lambda runs on; the native modules in the bundles are installed for it. */
  readonly lambdaArchitecture: LambdaArchitecture;
  /** Who may reach the ALB (doc 000: the home IP only). */
  readonly homeCidr: string;
  /** Who may use `allow-ssh` (doc 003 opens it for a bastion; never to the world here). */
  readonly adminCidr: string;
  /** The data bucket's name; S3 names are global, so the default adds account and region. */
  readonly bucketName: string | undefined;
  /** Deploy the Redshift cluster (costly; off for a cheap stack). */
  readonly withWarehouse: boolean;
  readonly warehouseNodeType: WarehouseNodeType;
  readonly warehouseNodeCount: number;
  /**
   * Redshift Multi-AZ: RA3 only, two or more nodes per AZ, and a subnet group over three AZs, which the design's
   * two-AZ network cannot give; so off, and `true` is refused with the reason. RA3 clusters get AZ relocation instead.
   */
  readonly warehouseMultiAz: boolean;
  /** AWS Config keeps one recorder per account and region: only deploy ours where there is none yet. */
  readonly withConfigRecorder: boolean;
  /** Cognito Plus tier (threat protection, per-MAU cost). */
  readonly cognitoPlusTier: boolean;
  /** Require MFA (TOTP) for every user; the design asks for username + password only, so optional by default. */
  readonly requireMfa: boolean;
  /** ACM certificate (same region as the ALB) for an HTTPS listener on 443; HTTP 80 only without it. */
  readonly albCertificateArn: string | undefined;
  /**
   * The DNS name users open the web app at when it is not the ALB's own (a CNAME or alias to the ALB, e.g. the name
   * of albCertificateArn's certificate). The task answers only to the ALB's DNS name and this one (host check).
   */
  readonly appDomainName: string | undefined;
  /** Custom domain of the CloudFront distribution and its ACM certificate (us-east-1); both or neither. */
  readonly cdnDomainName: string | undefined;
  readonly cdnCertificateArn: string | undefined;
  /** Where alarms are e-mailed (SNS sends a confirmation first); without it the topic has no subscriber yet. */
  readonly alarmEmail: string | undefined;
  readonly natGateways: number;
  readonly logRetentionDays: number;
  /** Pin the two AZs (e.g. `ap-northeast-1a,ap-northeast-1c`); the CLI looks them up otherwise. */
  readonly availabilityZones: readonly string[] | undefined;
  /**
   * A CloudTrail Lake event data store's ARN: when given, the MCP server's lake_query runs SQL naming it in
   * CloudTrail Lake (CATDATA_CLOUDTRAIL_LAKE=on), its role may query that store only. None: the trail lake only.
   */
  readonly cloudTrailLakeEventDataStoreArn: string | undefined;
}

export const DEFAULT_CONFIG: CatdataInfraConfig = {
  stackPrefix: "Catdata",
  region: undefined,
  account: undefined,
  lambdaArchitecture: "arm64",
  homeCidr: "203.0.113.100/32",
  adminCidr: "203.0.113.100/32",
  bucketName: undefined,
  withWarehouse: true,
  warehouseNodeType: "ra3.large",
  warehouseNodeCount: 2,
  warehouseMultiAz: false,
  withConfigRecorder: false,
  cognitoPlusTier: true,
  requireMfa: false,
  albCertificateArn: undefined,
  appDomainName: undefined,
  cdnDomainName: undefined,
  cdnCertificateArn: undefined,
  alarmEmail: undefined,
  natGateways: 1,
  logRetentionDays: 365,
  availabilityZones: undefined,
  cloudTrailLakeEventDataStoreArn: undefined,
};

/** The design's region (Tokyo), used when neither `-c region=` nor the CLI gives one. */
export const FALLBACK_REGION = "ap-northeast-1";

/**
 * The environment every stack is synthesised for: the configured region, else the design's (context only: never the
 * CLI's CDK_DEFAULT_REGION, which is us-east-1 on a machine without an AWS profile), and the account only when
 * `-c account=` names it. Without an account the templates are account-agnostic and a synth needs no credentials.
 */
export function deploymentEnv(config: CatdataInfraConfig): { account?: string; region: string } {
  const region = config.region ?? FALLBACK_REGION;
  return config.account ? { account: config.account, region } : { region };
}

/** A configuration error names the key and what it accepts. */
export class InfraConfigError extends Error {
  constructor(key: string, message: string) {
    super(`infra config "${key}": ${message}`);
    this.name = "InfraConfigError";
  }
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
/** A DNS name (labels of letters, digits and hyphens), as the app's CATDATA_ALLOWED_HOSTS accepts it. */
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

function cidr(key: string, value: string): string {
  const m = CIDR.exec(value);
  const octetsOk = m?.slice(1, 5).every((o) => Number(o) <= 255) ?? false;
  if (!m || !octetsOk || Number(m[5]) > 32)
    throw new InfraConfigError(key, `expected an IPv4 CIDR such as 203.0.113.100/32, got "${value}"`);
  if (Number(m[5]) === 0)
    throw new InfraConfigError(key, "0.0.0.0/0 would open the service to the world; give your own address");
  return value;
}

function bool(key: string, value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  throw new InfraConfigError(key, `expected true or false, got "${String(value)}"`);
}

function int(key: string, value: unknown, min: number, max: number): number {
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InfraConfigError(key, `expected an integer ${min}–${max}, got "${String(value)}"`);
  return n;
}

/** The node count, checked against what CreateCluster accepts for the node type (WAREHOUSE_NODE_RANGES). */
function warehouseNodes(nodeType: WarehouseNodeType, value: unknown): number {
  const { min, max } = WAREHOUSE_NODE_RANGES[nodeType];
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InfraConfigError(
      "warehouseNodeCount",
      `${nodeType} takes ${min}–${max} nodes when a cluster is created, got "${String(value)}"; ` +
        `give -c warehouseNodeCount=${min}…${max} or another warehouseNodeType`,
    );
  }
  return n;
}

/** Multi-AZ asked for: say which of AWS's conditions fails (node type, nodes per AZ, the network's AZs). */
function refuseMultiAz(nodeType: WarehouseNodeType, nodes: number): never {
  if (!nodeType.startsWith("ra3.")) {
    throw new InfraConfigError(
      "warehouseMultiAz",
      `Redshift Multi-AZ needs an RA3 node type (${WAREHOUSE_NODE_TYPES.filter((t) => t.startsWith("ra3.")).join(", ")}), not ${nodeType}`,
    );
  }
  if (nodes < 2) {
    throw new InfraConfigError("warehouseMultiAz", `Redshift Multi-AZ needs 2 or more nodes per AZ, got ${nodes}`);
  }
  throw new InfraConfigError(
    "warehouseMultiAz",
    `Redshift Multi-AZ needs a subnet group over ${REDSHIFT_MULTI_AZ_SUBNET_AZS} AZs and catdata's network has ` +
      `${NETWORK_AZ_COUNT}; leave it false (RA3 clusters relocate to the other AZ on an AZ failure)`,
  );
}

function str(value: unknown): string | undefined {
  return value === undefined || value === null || value === "" ? undefined : String(value);
}

/** Builds the configuration from loose values (CDK context gives strings); unknown keys are ignored. */
export function resolveConfig(input: Readonly<Record<string, unknown>> = {}): CatdataInfraConfig {
  const d = DEFAULT_CONFIG;
  const pick = (key: keyof CatdataInfraConfig): unknown => input[key];
  const nodeType = str(pick("warehouseNodeType")) ?? d.warehouseNodeType;
  if (!(WAREHOUSE_NODE_TYPES as readonly string[]).includes(nodeType)) {
    throw new InfraConfigError(
      "warehouseNodeType",
      `expected one of ${WAREHOUSE_NODE_TYPES.join(", ")}, got "${nodeType}"`,
    );
  }
  const warehouseNodeType = nodeType as WarehouseNodeType;
  const warehouseNodeCount = warehouseNodes(warehouseNodeType, pick("warehouseNodeCount") ?? d.warehouseNodeCount);
  const warehouseMultiAz = bool("warehouseMultiAz", pick("warehouseMultiAz") ?? d.warehouseMultiAz);
  if (warehouseMultiAz) refuseMultiAz(warehouseNodeType, warehouseNodeCount);
  const region = str(pick("region"));
  if (region !== undefined && !REGION.test(region)) {
    throw new InfraConfigError("region", `expected an AWS region such as ap-northeast-1, got "${region}"`);
  }
  const account = str(pick("account"));
  if (account !== undefined && !ACCOUNT.test(account)) {
    throw new InfraConfigError("account", `expected a 12-digit AWS account id, got "${account}"`);
  }
  const lambdaArchitecture = str(pick("lambdaArchitecture")) ?? d.lambdaArchitecture;
  if (!(LAMBDA_ARCHITECTURES as readonly string[]).includes(lambdaArchitecture)) {
    throw new InfraConfigError(
      "lambdaArchitecture",
      `expected one of ${LAMBDA_ARCHITECTURES.join(", ")}, got "${lambdaArchitecture}"`,
    );
  }
  const bucketName = str(pick("bucketName"));
  if (bucketName !== undefined && !BUCKET.test(bucketName)) {
    throw new InfraConfigError("bucketName", `"${bucketName}" is not a valid S3 bucket name`);
  }
  const retention = int("logRetentionDays", pick("logRetentionDays") ?? d.logRetentionDays, 1, 3653);
  if (!RETENTION_DAYS.includes(retention)) {
    throw new InfraConfigError("logRetentionDays", `CloudWatch accepts ${RETENTION_DAYS.join(", ")}; got ${retention}`);
  }
  const azs = str(pick("availabilityZones"));
  const availabilityZones = Array.isArray(pick("availabilityZones"))
    ? (pick("availabilityZones") as unknown[]).map(String)
    : azs?.split(",").map((s) => s.trim());
  if (availabilityZones !== undefined && availabilityZones.length !== 2) {
    throw new InfraConfigError("availabilityZones", "the design's network has exactly two AZs");
  }
  const appDomainName = str(pick("appDomainName"));
  if (appDomainName !== undefined && !DNS_NAME.test(appDomainName)) {
    throw new InfraConfigError(
      "appDomainName",
      `expected a DNS name such as catdata.example.org, got "${appDomainName}"`,
    );
  }
  const cdnDomainName = str(pick("cdnDomainName"));
  const cdnCertificateArn = str(pick("cdnCertificateArn"));
  if ((cdnDomainName === undefined) !== (cdnCertificateArn === undefined)) {
    throw new InfraConfigError("cdnCertificateArn", "give cdnDomainName and cdnCertificateArn together");
  }
  if (cdnCertificateArn !== undefined && !cdnCertificateArn.startsWith("arn:aws:acm:us-east-1:")) {
    throw new InfraConfigError("cdnCertificateArn", "CloudFront only takes ACM certificates from us-east-1");
  }
  const alarmEmail = str(pick("alarmEmail"));
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    throw new InfraConfigError("alarmEmail", `expected an e-mail address such as ops@example.org, got "${alarmEmail}"`);
  }
  const cloudTrailLakeEventDataStoreArn = str(pick("cloudTrailLakeEventDataStoreArn"));
  if (
    cloudTrailLakeEventDataStoreArn !== undefined &&
    !/^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:eventdatastore\/[A-Za-z0-9-]+$/.test(cloudTrailLakeEventDataStoreArn)
  ) {
    throw new InfraConfigError(
      "cloudTrailLakeEventDataStoreArn",
      "an event data store ARN: arn:aws:cloudtrail:<region>:<account>:eventdatastore/<id>",
    );
  }
  return {
    stackPrefix: str(pick("stackPrefix")) ?? d.stackPrefix,
    region,
    account,
    lambdaArchitecture: lambdaArchitecture as LambdaArchitecture,
    homeCidr: cidr("homeCidr", str(pick("homeCidr")) ?? d.homeCidr),
    adminCidr: cidr("adminCidr", str(pick("adminCidr")) ?? d.adminCidr),
    bucketName,
    withWarehouse: bool("withWarehouse", pick("withWarehouse") ?? d.withWarehouse),
    warehouseNodeType,
    warehouseNodeCount,
    warehouseMultiAz,
    withConfigRecorder: bool("withConfigRecorder", pick("withConfigRecorder") ?? d.withConfigRecorder),
    cognitoPlusTier: bool("cognitoPlusTier", pick("cognitoPlusTier") ?? d.cognitoPlusTier),
    requireMfa: bool("requireMfa", pick("requireMfa") ?? d.requireMfa),
    albCertificateArn: str(pick("albCertificateArn")),
    appDomainName: appDomainName?.toLowerCase(),
    cdnDomainName,
    cdnCertificateArn,
    alarmEmail,
    natGateways: int("natGateways", pick("natGateways") ?? d.natGateways, 1, 2),
    logRetentionDays: retention,
    availabilityZones,
    cloudTrailLakeEventDataStoreArn,
  };
}

/** The keys `resolveConfig` reads, for the bin to collect from CDK context. */
export const CONFIG_KEYS = Object.keys(DEFAULT_CONFIG) as (keyof CatdataInfraConfig)[];
