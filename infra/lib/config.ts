/**
 * The typed configuration of the AWS deployment: every knob has a default taken from the design documents
 * (003 for the cat-data platform, 000 for the CloudTrail behaviour side), parsed once from CDK context
 * (`-c key=value` or `cdk.json`) and validated here, so a stack never reads context itself.
 */

/** Redshift node types the warehouse stack accepts. dc2.large is the design's; AWS retires it for new clusters. */
export const WAREHOUSE_NODE_TYPES = ["dc2.large", "ra3.large", "ra3.xlplus", "ra3.4xlarge", "ra3.16xlarge"] as const;
export type WarehouseNodeType = (typeof WAREHOUSE_NODE_TYPES)[number];

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
  /** Redshift Multi-AZ exists for RA3 node types only; defaults to on whenever the node type allows it. */
  readonly warehouseMultiAz: boolean;
  /** AWS Config keeps one recorder per account and region: only deploy ours where there is none yet. */
  readonly withConfigRecorder: boolean;
  /** Cognito Plus tier (threat protection, per-MAU cost). */
  readonly cognitoPlusTier: boolean;
  /** Require MFA (TOTP) for every user; the design asks for username + password only, so optional by default. */
  readonly requireMfa: boolean;
  /** ACM certificate (same region as the ALB) for an HTTPS listener on 443; HTTP 80 only without it. */
  readonly albCertificateArn: string | undefined;
  /** Custom domain of the CloudFront distribution and its ACM certificate (us-east-1); both or neither. */
  readonly cdnDomainName: string | undefined;
  readonly cdnCertificateArn: string | undefined;
  /** Where alarms are e-mailed; no subscription without it. */
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
  warehouseNodeType: "dc2.large",
  warehouseNodeCount: 2,
  warehouseMultiAz: false,
  withConfigRecorder: false,
  cognitoPlusTier: true,
  requireMfa: false,
  albCertificateArn: undefined,
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
  const isRa3 = warehouseNodeType.startsWith("ra3.");
  const multiAzRaw = pick("warehouseMultiAz");
  const warehouseMultiAz = multiAzRaw === undefined ? isRa3 : bool("warehouseMultiAz", multiAzRaw);
  if (warehouseMultiAz && !isRa3) {
    throw new InfraConfigError(
      "warehouseMultiAz",
      `Redshift Multi-AZ needs an RA3 node type, not ${warehouseNodeType}`,
    );
  }
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
  const cdnDomainName = str(pick("cdnDomainName"));
  const cdnCertificateArn = str(pick("cdnCertificateArn"));
  if ((cdnDomainName === undefined) !== (cdnCertificateArn === undefined)) {
    throw new InfraConfigError("cdnCertificateArn", "give cdnDomainName and cdnCertificateArn together");
  }
  if (cdnCertificateArn !== undefined && !cdnCertificateArn.startsWith("arn:aws:acm:us-east-1:")) {
    throw new InfraConfigError("cdnCertificateArn", "CloudFront only takes ACM certificates from us-east-1");
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
    warehouseNodeCount: int("warehouseNodeCount", pick("warehouseNodeCount") ?? d.warehouseNodeCount, 1, 128),
    warehouseMultiAz,
    withConfigRecorder: bool("withConfigRecorder", pick("withConfigRecorder") ?? d.withConfigRecorder),
    cognitoPlusTier: bool("cognitoPlusTier", pick("cognitoPlusTier") ?? d.cognitoPlusTier),
    requireMfa: bool("requireMfa", pick("requireMfa") ?? d.requireMfa),
    albCertificateArn: str(pick("albCertificateArn")),
    cdnDomainName,
    cdnCertificateArn,
    alarmEmail: str(pick("alarmEmail")),
    natGateways: int("natGateways", pick("natGateways") ?? d.natGateways, 1, 2),
    logRetentionDays: retention,
    availabilityZones,
    cloudTrailLakeEventDataStoreArn,
  };
}

/** The keys `resolveConfig` reads, for the bin to collect from CDK context. */
export const CONFIG_KEYS = Object.keys(DEFAULT_CONFIG) as (keyof CatdataInfraConfig)[];
