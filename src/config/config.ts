import { existsSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import { homedir } from "node:os";
import path from "node:path";
import { parse as parseDotenv } from "dotenv";
import { z } from "zod";
import { CatdataError } from "../errors.js";
import { type AgentConfig, agentConfigSchema, toAgentConfig } from "./agent-config.js";
import { type AuthConfig, authConfigSchema, toAuthConfig } from "./auth-config.js";
import {
  type CloudTrailLakeConfig,
  cloudTrailLakeConfigSchema,
  toCloudTrailLakeConfig,
} from "./cloudtrail-lake-config.js";
import {
  etlPathConfigSchema,
  type IngestConfig,
  ingestConfigSchema,
  toEtlSqlPath,
  toIngestConfig,
} from "./ingest-config.js";
import {
  type MunicipalitiesConfig,
  municipalitiesConfigSchema,
  toMunicipalitiesConfig,
} from "./municipalities-config.js";
import { type PreviewConfig, previewConfigSchema, toPreviewConfig } from "./preview-config.js";
import { type ResultsConfig, resultsConfigSchema, toResultsConfig } from "./results-config.js";
import { toWarehouseConfig, type WarehouseConfig, warehouseConfigSchema } from "./warehouse-config.js";

export type { AuthConfig, LockoutSettings } from "./auth-config.js";
export type { WarehouseConfig } from "./warehouse-config.js";

/**
 * The one configuration of catdata: read once at the edge from the environment (and an optional `.env`),
 * validated with zod, and passed down as a typed object. Every variable is documented in `.env.example`.
 */
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const port = z.coerce.number().int().min(1).max(65_535);
const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** A comma-separated list whose every item must pass `check` (empty or unset: an empty list). */
const list = (check: (item: string) => boolean, what: string) =>
  z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .refine((items) => items.every(check), `each item must be ${what}`)
    .default([]);
const origin = (v: string) => /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(v);
const hostName = (v: string) => /^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/i.test(v);
function cidr(v: string): boolean {
  const [address = "", prefix, ...rest] = v.split("/");
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

export const configSchema = z.object({
  CATDATA_HOME: z.string().min(1).default("./.catdata"),
  CATDATA_HOST: z.string().min(1).default("127.0.0.1"),
  CATDATA_PORT: port.default(8501),
  CATDATA_HEALTH_PORT: port.default(8080),
  /** No default here: the server's is `info`, the CLI's `warn` (see `LoadConfigOptions`). */
  CATDATA_LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  CATDATA_DEMO: bool.default(true),
  CATDATA_SAMPLES_DIR: z.string().min(1).default("../shared/data"),
  CATDATA_KEY_FILE: z.string().min(1).optional(),
  CATDATA_STORE: z.enum(["local", "s3"]).default("local"),
  CATDATA_S3_BUCKET: z.string().min(3).default("cat-data-bucket"),
  CATDATA_S3_ENDPOINT: z.url().optional(),
  CATDATA_QUERY_ENGINE: z.enum(["duckdb", "athena"]).default("duckdb"),
  CATDATA_ATHENA_WORKGROUP: z.string().min(1).default("primary"),
  /** The Glue database the Athena engine queries (the data lake stack's, `catdata`). */
  CATDATA_ATHENA_DATABASE: z
    .string()
    .regex(/^[a-z0-9_]{1,255}$/, "a Glue database name: lower-case letters, digits and underscores")
    .default("catdata"),
  CATDATA_ACCOUNT_ID: z
    .string()
    .regex(/^\d{12}$/, "a 12-digit AWS account id")
    .default("000000000000"),
  AWS_REGION: z.string().min(1).default("ap-northeast-1"),
  // Protection (the WAF role) and monitoring (the CloudWatch role) of the HTTP API.
  CATDATA_RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  CATDATA_RATE_LIMIT_USER_PER_MINUTE: z.coerce.number().int().min(0).default(300),
  CATDATA_RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(60),
  CATDATA_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 ** 2),
  CATDATA_UPLOAD_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 ** 3),
  CATDATA_CORS_ORIGINS: list(origin, "an origin such as https://dashboard.example.org (scheme://host[:port])"),
  CATDATA_ALLOWED_IPS: list(cidr, "an IPv4/IPv6 address or CIDR such as 203.0.113.100/32"),
  CATDATA_TRUST_PROXY: bool.default(false),
  CATDATA_ALLOWED_HOSTS: list(hostName, "a host name such as catdata.example.org"),
  CATDATA_METRICS_ALLOWED_IPS: list(cidr, "an IPv4/IPv6 address or CIDR such as 10.0.0.0/8").default([
    "127.0.0.1/32",
    "::1/128",
  ]),
  CATDATA_USER_POOL_ID: z
    .string()
    .regex(/^[a-z]{2}-[a-z]+-\d_[0-9A-Za-z]+$/, "a Cognito user pool id such as ap-northeast-1_AbC123")
    .optional(),
  CATDATA_USER_POOL_CLIENT_ID: z.string().min(1).optional(),
  ...authConfigSchema.shape,
  ...ingestConfigSchema.shape,
  ...etlPathConfigSchema.shape,
  ...previewConfigSchema.shape,
  ...resultsConfigSchema.shape,
  ...warehouseConfigSchema.shape,
  ...municipalitiesConfigSchema.shape,
  ...agentConfigSchema.shape,
  ...cloudTrailLakeConfigSchema.shape,
});

export type RawConfig = z.infer<typeof configSchema>;

export interface Config {
  /** CATDATA_HOME, absolute: only the composition root (src/runtime.ts) turns it into a `DataDir`. */
  dataDirectory: string;
  host: string;
  port: number;
  healthPort: number;
  logLevel: LogLevel;
  demo: boolean;
  samplesDir: string;
  /** Where the store's master key lives: outside the data directory on purpose. */
  keyFile: string;
  store: { kind: RawConfig["CATDATA_STORE"]; bucket: string; endpoint: string | undefined };
  queryEngine: { kind: RawConfig["CATDATA_QUERY_ENGINE"]; athenaWorkgroup: string; athenaDatabase: string };
  /** Where the marts live: DuckDB under CATDATA_HOME, Postgres by URL, or Redshift with its managed secret. */
  warehouse: WarehouseConfig;
  accountId: string;
  region: string;
  /** The WAF role: rate limits, body limits, CORS, source-IP and Host allow-lists. */
  protection: ProtectionConfig;
  /** Who may scrape `/metrics` on the health port (default: loopback only). */
  metrics: { allowedIps: string[] };
  /** Real Cognito (in AWS): the user pool whose tokens the API accepts. */
  cognito: { userPoolId: string | undefined; clientId: string | undefined };
  /** Lock-out after failed sign-ins, and the smallest aggregate cell shown to those who may not see records. */
  auth: AuthConfig;
  /** Caps of the upload readers: line, cell, record, decompressed size, shared strings, JSON depth. */
  ingest: IngestConfig;
  /** Whether DuckDB reads the CSVs whose profile has a SQL form (CATDATA_ETL_SQL_PATH, default on). */
  etlSqlPath: boolean;
  /** The bound on an API preview of a stored upload (CATDATA_PREVIEW_MAX_BYTES). */
  preview: PreviewConfig;
  /** The byte cap on query and API results (counted while they are serialised). */
  results: ResultsConfig;
  /** The municipalities this deployment knows: the built-in table plus CATDATA_MUNICIPALITIES_FILE. */
  municipalities: MunicipalitiesConfig;
  /** The AI agent: its model (offline by default), its MCP tools, its conversations' bounds. */
  agent: AgentConfig;
  /** AWS CloudTrail Lake for the MCP lake tools (CATDATA_CLOUDTRAIL_LAKE, off by default). */
  cloudTrailLake: CloudTrailLakeConfig;
}

export interface ProtectionConfig {
  /** Token buckets: requests per minute per source IP and per signed-in user (0: off), bursts up to `burst`. */
  rateLimit: { ipPerMinute: number; userPerMinute: number; burst: number };
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  corsOrigins: string[];
  /** Source IPs/CIDRs allowed to call the API; empty: any. */
  allowedIps: string[];
  /** Take the client IP from X-Forwarded-For (the last hop) instead of the socket. */
  trustProxy: boolean;
  /** Host names the local server answers to besides localhost, 127.0.0.1, [::1] and CATDATA_HOST. */
  allowedHosts: string[];
}

/** Reads `.env` (if present) under the real environment: the environment wins. */
export function readEnv(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const file = path.join(cwd, ".env");
  const fromFile = existsSync(file) ? parseDotenv(readFileSync(file)) : {};
  return { ...fromFile, ...env };
}

export interface LoadConfigOptions {
  /** The log level when CATDATA_LOG_LEVEL is unset: `info` for the server, `warn` for the CLI. */
  defaultLogLevel?: LogLevel;
}

export function loadConfig(
  env: Record<string, string | undefined> = readEnv(),
  cwd = process.cwd(),
  options: LoadConfigOptions = {},
): Config {
  // Empty strings count as unset, as shells and .env files often leave them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join(".");
      return `${name}=${JSON.stringify(cleaned[name] ?? "")}: ${issue.message}`;
    });
    throw new CatdataError("CONFIG_INVALID", `invalid configuration:\n  ${lines.join("\n  ")}`, {
      hint: "fix the variable in the environment or in .env (see .env.example for what each one allows)",
    });
  }
  const c = parsed.data;
  return {
    dataDirectory: path.resolve(cwd, c.CATDATA_HOME),
    host: c.CATDATA_HOST,
    port: c.CATDATA_PORT,
    healthPort: c.CATDATA_HEALTH_PORT,
    logLevel: c.CATDATA_LOG_LEVEL ?? options.defaultLogLevel ?? "info",
    demo: c.CATDATA_DEMO,
    samplesDir: path.resolve(cwd, c.CATDATA_SAMPLES_DIR),
    keyFile: path.resolve(cwd, c.CATDATA_KEY_FILE ?? path.join(homedir(), ".config", "catdata", "master.key")),
    store: { kind: c.CATDATA_STORE, bucket: c.CATDATA_S3_BUCKET, endpoint: c.CATDATA_S3_ENDPOINT },
    queryEngine: {
      kind: c.CATDATA_QUERY_ENGINE,
      athenaWorkgroup: c.CATDATA_ATHENA_WORKGROUP,
      athenaDatabase: c.CATDATA_ATHENA_DATABASE,
    },
    warehouse: toWarehouseConfig(c),
    accountId: c.CATDATA_ACCOUNT_ID,
    region: c.AWS_REGION,
    protection: {
      rateLimit: {
        ipPerMinute: c.CATDATA_RATE_LIMIT_IP_PER_MINUTE,
        userPerMinute: c.CATDATA_RATE_LIMIT_USER_PER_MINUTE,
        burst: c.CATDATA_RATE_LIMIT_BURST,
      },
      bodyLimitBytes: c.CATDATA_BODY_LIMIT_BYTES,
      uploadLimitBytes: c.CATDATA_UPLOAD_LIMIT_BYTES,
      corsOrigins: c.CATDATA_CORS_ORIGINS,
      allowedIps: c.CATDATA_ALLOWED_IPS,
      trustProxy: c.CATDATA_TRUST_PROXY,
      allowedHosts: c.CATDATA_ALLOWED_HOSTS.map((h) => h.toLowerCase()),
    },
    metrics: { allowedIps: c.CATDATA_METRICS_ALLOWED_IPS },
    cognito: { userPoolId: c.CATDATA_USER_POOL_ID, clientId: c.CATDATA_USER_POOL_CLIENT_ID },
    auth: toAuthConfig(c),
    ingest: toIngestConfig(c),
    etlSqlPath: toEtlSqlPath(c),
    preview: toPreviewConfig(c),
    results: toResultsConfig(c),
    municipalities: toMunicipalitiesConfig(c, cwd),
    agent: toAgentConfig(c),
    cloudTrailLake: toCloudTrailLakeConfig(c),
  };
}
