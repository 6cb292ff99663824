import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { z } from "zod";
import { CatdataError } from "../errors.js";

/**
 * The Redshift cluster's managed master secret (`manageMasterPassword`: Redshift creates it in Secrets Manager and
 * rotates it): GetSecretValue → `{ username, password }`. Read on first use and again once `cacheMs` has passed,
 * so a rotated password reaches new connections without a restart; never logged. The client and the clock are
 * injected (tests use aws-sdk-client-mock).
 */
export interface WarehouseCredentials {
  user: string;
  password: string;
}

/** How long a fetched secret is reused before it is read again: 5 minutes (rotation shows within that). */
export const SECRET_CACHE_MS = 5 * 60_000;

const secretJson = z.object({ username: z.string().min(1), password: z.string().min(1) });

export interface ManagedSecretOptions {
  secretArn: string;
  client: SecretsManagerClient;
  cacheMs?: number;
  now?: () => number;
}

export class ManagedSecret {
  private cached: { at: number; value: Promise<WarehouseCredentials> } | undefined;
  private readonly cacheMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ManagedSecretOptions) {
    this.cacheMs = options.cacheMs ?? SECRET_CACHE_MS;
    this.now = options.now ?? Date.now;
  }

  credentials(): Promise<WarehouseCredentials> {
    const now = this.now();
    if (!this.cached || now - this.cached.at >= this.cacheMs) {
      const value = this.fetch();
      this.cached = { at: now, value };
      // A failed read is not kept: the next connection asks again.
      value.catch(() => {
        if (this.cached?.value === value) this.cached = undefined;
      });
    }
    return this.cached.value;
  }

  private async fetch(): Promise<WarehouseCredentials> {
    const { secretArn } = this.options;
    let text: string | undefined;
    try {
      text = (await this.options.client.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString;
    } catch (error) {
      throw secretError(secretArn, error);
    }
    let parsed: z.ZodSafeParseResult<z.infer<typeof secretJson>> | undefined;
    try {
      parsed = secretJson.safeParse(JSON.parse(text ?? ""));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      throw new CatdataError(
        "CONFIG_INVALID",
        `the warehouse secret ${secretArn} is not {"username","password"} JSON`,
        {
          hint: "point CATDATA_REDSHIFT_SECRET_ARN at the cluster's managed master secret (MasterPasswordSecretArn)",
        },
      );
    }
    return { user: parsed.data.username, password: parsed.data.password };
  }
}

function secretError(secretArn: string, error: unknown): CatdataError {
  const name = (error as { name?: string }).name ?? "";
  const message = (error as Error).message ?? String(error);
  if (name === "AccessDeniedException") {
    return new CatdataError("FORBIDDEN", `reading the warehouse secret ${secretArn} was denied: ${message}`, {
      hint: "grant the role secretsmanager:GetSecretValue on that secret (WarehouseStack.grantConnect)",
      cause: error,
    });
  }
  if (name === "ResourceNotFoundException") {
    return new CatdataError("CONFIG_INVALID", `the warehouse secret ${secretArn} does not exist`, {
      hint: "set CATDATA_REDSHIFT_SECRET_ARN to the cluster's MasterPasswordSecretArn",
      cause: error,
    });
  }
  return new CatdataError("UNAVAILABLE", `reading the warehouse secret ${secretArn} failed: ${message}`, {
    hint: "retry; if it persists, check Secrets Manager in the cluster's region",
    cause: error,
  });
}
