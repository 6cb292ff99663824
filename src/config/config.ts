import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { parse as parseDotenv } from "dotenv";
import { z } from "zod";
import { CatdataError } from "../errors.js";

/**
 * The one configuration of catdata: read once at the edge from the environment (and an optional `.env`),
 * validated with zod, and passed down as a typed object. Every variable is documented in `.env.example`.
 */
const port = z.coerce.number().int().min(1).max(65_535);
const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

export const configSchema = z.object({
  CATDATA_HOME: z.string().min(1).default("./.catdata"),
  CATDATA_HOST: z.string().min(1).default("127.0.0.1"),
  CATDATA_PORT: port.default(8501),
  CATDATA_HEALTH_PORT: port.default(8080),
  CATDATA_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  CATDATA_DEMO: bool.default(true),
  CATDATA_SAMPLES_DIR: z.string().min(1).default("../shared/data"),
  CATDATA_KEY_FILE: z.string().min(1).optional(),
  CATDATA_STORE: z.enum(["local", "s3"]).default("local"),
  CATDATA_S3_BUCKET: z.string().min(3).default("cat-data-bucket"),
  CATDATA_S3_ENDPOINT: z.url().optional(),
  CATDATA_QUERY_ENGINE: z.enum(["duckdb", "athena"]).default("duckdb"),
  CATDATA_ATHENA_WORKGROUP: z.string().min(1).default("primary"),
  CATDATA_WAREHOUSE: z.enum(["duckdb", "postgres"]).default("duckdb"),
  CATDATA_WAREHOUSE_URL: z.string().optional(),
  CATDATA_ACCOUNT_ID: z
    .string()
    .regex(/^\d{12}$/, "a 12-digit AWS account id")
    .default("000000000000"),
  AWS_REGION: z.string().min(1).default("ap-northeast-1"),
});

export type RawConfig = z.infer<typeof configSchema>;

export interface Config {
  home: string;
  host: string;
  port: number;
  healthPort: number;
  logLevel: RawConfig["CATDATA_LOG_LEVEL"];
  demo: boolean;
  samplesDir: string;
  /** Where the store's master key lives: outside the data directory on purpose. */
  keyFile: string;
  store: { kind: RawConfig["CATDATA_STORE"]; bucket: string; endpoint: string | undefined };
  queryEngine: { kind: RawConfig["CATDATA_QUERY_ENGINE"]; athenaWorkgroup: string };
  warehouse: { kind: RawConfig["CATDATA_WAREHOUSE"]; url: string | undefined };
  accountId: string;
  region: string;
}

/** Reads `.env` (if present) under the real environment: the environment wins. */
export function readEnv(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const file = path.join(cwd, ".env");
  const fromFile = existsSync(file) ? parseDotenv(readFileSync(file)) : {};
  return { ...fromFile, ...env };
}

export function loadConfig(env: Record<string, string | undefined> = readEnv(), cwd = process.cwd()): Config {
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
  if (c.CATDATA_WAREHOUSE === "postgres" && !c.CATDATA_WAREHOUSE_URL) {
    throw new CatdataError(
      "CONFIG_INVALID",
      "invalid configuration:\n  CATDATA_WAREHOUSE_URL is required when CATDATA_WAREHOUSE=postgres",
      { hint: "set it to a postgres://user:password@host:5432/catdata URL" },
    );
  }
  const home = path.resolve(cwd, c.CATDATA_HOME);
  return {
    home,
    host: c.CATDATA_HOST,
    port: c.CATDATA_PORT,
    healthPort: c.CATDATA_HEALTH_PORT,
    logLevel: c.CATDATA_LOG_LEVEL,
    demo: c.CATDATA_DEMO,
    samplesDir: path.resolve(cwd, c.CATDATA_SAMPLES_DIR),
    keyFile: path.resolve(cwd, c.CATDATA_KEY_FILE ?? path.join(homedir(), ".config", "catdata", "master.key")),
    store: { kind: c.CATDATA_STORE, bucket: c.CATDATA_S3_BUCKET, endpoint: c.CATDATA_S3_ENDPOINT },
    queryEngine: { kind: c.CATDATA_QUERY_ENGINE, athenaWorkgroup: c.CATDATA_ATHENA_WORKGROUP },
    warehouse: { kind: c.CATDATA_WAREHOUSE, url: c.CATDATA_WAREHOUSE_URL },
    accountId: c.CATDATA_ACCOUNT_ID,
    region: c.AWS_REGION,
  };
}
