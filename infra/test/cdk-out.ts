import { execFile, spawn } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { LambdaArchitecture } from "../lib/config.js";
import { REPO_ROOT } from "../lib/constructs/node-lambda.js";

/**
 * Test helpers over a real `cdk synth` output directory: run the CLI as `npm run synth` does, find each Lambda's
 * bundled asset from its template, read which CPU a native addon was built for, and invoke a bundled handler in a
 * child process (infra/test/invoke-bundle.mjs).
 */
const run = promisify(execFile);

/** The Lambda architecture this machine can execute, so the bundles a test runs carry addons it can load. */
export const HOST_ARCHITECTURE: LambdaArchitecture = process.arch === "arm64" ? "arm64" : "x86_64";

/**
 * The environment of a synth "on a clean machine": no AWS credentials, profile, region or instance metadata, so
 * nothing the CLI finds can shape the templates (or make the synth need the network).
 */
export function credentialFreeEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(AWS_|CDK_)/.test(key) || key === "AWS_CA_BUNDLE"),
  );
  return {
    ...env,
    AWS_CONFIG_FILE: path.join(os.tmpdir(), "catdata-no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(os.tmpdir(), "catdata-no-aws-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

/**
 * `cdk synth --quiet -o <outdir>` with the repository's CLI and cdk.json, plus `-c key=value` context, in a child
 * process whose output goes to `<outdir>.log` (never a pipe: the caller may block its event loop meanwhile).
 */
export async function cdkSynth(outdir: string, context: Record<string, string> = {}): Promise<{ ms: number }> {
  const cli = path.join(REPO_ROOT, "node_modules", "aws-cdk", "bin", "cdk");
  const args = [cli, "synth", "--quiet", "--output", outdir];
  for (const [key, value] of Object.entries(context)) args.push("--context", `${key}=${value}`);
  const logFile = `${outdir}.log`;
  const log = openSync(logFile, "w");
  const started = Date.now();
  try {
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: credentialFreeEnv(),
      stdio: ["ignore", log, log],
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", resolve);
    });
    if (code !== 0) throw new Error(`cdk synth exited with ${code}:\n${readFileSync(logFile, "utf8").slice(-4000)}`);
  } finally {
    closeSync(log);
    rmSync(logFile, { force: true });
  }
  return { ms: Date.now() - started };
}

interface TemplateResource {
  Type: string;
  Metadata?: Record<string, unknown>;
  Properties?: {
    Handler?: string;
    Architectures?: string[];
    Environment?: { Variables?: Record<string, unknown> };
  };
}

/** One bundled Lambda of the synth output, as its template declares it. */
export interface BundledLambda {
  /** Construct path, e.g. `Catdata-DataLake/ProcessCatData/Function`. */
  path: string;
  architecture: LambdaArchitecture;
  assetDir: string;
  /** The module the handler setting names (`index.handler` → `<assetDir>/index.mjs`) and its export. */
  moduleFile: string;
  exportName: string;
  /** The function's environment variables that are plain strings (references to other resources left out). */
  literalEnv: Record<string, string>;
}

/** Every Lambda whose code is a bundled asset, by construct path. */
export function bundledLambdas(outdir: string): Map<string, BundledLambda> {
  const found = new Map<string, BundledLambda>();
  for (const file of readdirSync(outdir).filter((f) => f.endsWith(".template.json"))) {
    const template = JSON.parse(readFileSync(path.join(outdir, file), "utf8")) as {
      Resources?: Record<string, TemplateResource>;
    };
    for (const resource of Object.values(template.Resources ?? {})) {
      const meta = resource.Metadata ?? {};
      if (resource.Type !== "AWS::Lambda::Function" || meta["aws:asset:is-bundled"] !== true) continue;
      const constructPath = String(meta["aws:cdk:path"]).replace(/\/Resource$/, "");
      const [base, exportName] = String(resource.Properties?.Handler).split(".");
      const assetDir = path.join(outdir, String(meta["aws:asset:path"]));
      const arch = resource.Properties?.Architectures?.[0] ?? "x86_64";
      const literalEnv = Object.fromEntries(
        Object.entries(resource.Properties?.Environment?.Variables ?? {}).filter(
          (entry): entry is [string, string] => typeof entry[1] === "string",
        ),
      );
      found.set(constructPath, {
        path: constructPath,
        architecture: arch === "arm64" ? "arm64" : "x86_64",
        assetDir,
        moduleFile: path.join(assetDir, `${base}.mjs`),
        exportName: exportName ?? "handler",
        literalEnv,
      });
    }
  }
  return found;
}

/** Every `.node` addon under a directory, relative to it. */
export function nativeAddons(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith(".node")) out.push(child);
    }
  };
  walk("");
  return out.sort();
}

/** The CPU a shared object was built for, from its ELF header (`e_machine`); undefined for anything else. */
export function elfArchitecture(file: string): LambdaArchitecture | undefined {
  const header = Buffer.alloc(20);
  const fd = openSync(file, "r");
  try {
    readSync(fd, header, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  if (header.readUInt32BE(0) !== 0x7f454c46) return undefined; // "\x7fELF"
  const machine = header.readUInt16LE(18);
  return machine === 0xb7 ? "arm64" : machine === 0x3e ? "x86_64" : undefined;
}

/** What invoke-bundle.mjs reports: the handler's result, or the message of what it threw. */
export type Invocation<T> = { ok: true; result: T } | { ok: false; error: string };

/** A RESPONSE_STREAM handler's answer as the Function URL service reads it back (see invoke-bundle.mjs). */
export interface StreamedAnswer {
  streamed: true;
  /** The response stream's content type: the HTTP-integration type once HttpResponseStream.from ran. */
  contentType: string;
  prelude: { statusCode: number; headers: Record<string, string> };
  body: string;
  /** How many writes reached the stream (the prelude's two included). */
  writes: number;
}

export interface InvokeOptions {
  /** Answers the Cognito JWKS URL (see invoke-bundle.mjs). */
  cognitoJwks?: unknown;
  /** The Lambda runtime's response streaming (`awslambda`), for a Function URL in RESPONSE_STREAM mode. */
  streaming?: boolean;
}

/**
 * Invokes a bundled handler once in its own Node process with exactly `env` (plus PATH), as Lambda would with the
 * function's environment.
 */
export async function invokeBundled<T>(
  fn: BundledLambda,
  event: unknown,
  env: Record<string, string>,
  options: InvokeOptions = {},
): Promise<Invocation<T>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "catdata-invoke-"));
  const eventFile = path.join(dir, "event.json");
  const resultFile = path.join(dir, "result.json");
  writeFileSync(eventFile, JSON.stringify(event));
  const args = [path.join(REPO_ROOT, "infra", "test", "invoke-bundle.mjs"), fn.moduleFile, fn.exportName];
  args.push(eventFile, resultFile);
  if (options.cognitoJwks !== undefined) {
    const jwksFile = path.join(dir, "jwks.json");
    writeFileSync(jwksFile, JSON.stringify(options.cognitoJwks));
    args.push(`--jwks=${jwksFile}`);
  }
  if (options.streaming) args.push("--stream");
  const spawnOptions = { cwd: fn.assetDir, env: { PATH: process.env.PATH ?? "", ...env }, maxBuffer: 64 * 1024 * 1024 };
  await run(process.execPath, args, spawnOptions).catch((error: { code?: number; stderr?: string }) => {
    // A handler that throws exits 1 with its outcome written; anything else is a broken artifact.
    if (error.code !== 1 || !existsSync(resultFile)) throw error;
  });
  try {
    return JSON.parse(readFileSync(resultFile, "utf8")) as Invocation<T>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
