// The light start of `catdata`: `--help`, `--version` and no arguments run from a small bundle of
// src/cli/main.ts (commander, the command table, the version; no command module, no tsx), built
// with esbuild on first use into node_modules/.cache/catdata-cli/ and reused while none of its
// source files changed. Every command still runs through tsx from the TypeScript sources.
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(fileURLToPath(new URL("..", import.meta.url)));
const entry = path.join(root, "src/cli/main.ts");
export const CACHE_DIR = path.join(root, "node_modules/.cache/catdata-cli");
const BUNDLE = path.join(CACHE_DIR, "main.mjs");
export const MANIFEST = path.join(CACHE_DIR, "manifest.json");

/** The command `argv` runs, as src/cli/main.ts `commandName` decides it; undefined for root options. */
export function commandName(argv) {
  const words = argv.filter((arg) => !arg.startsWith("-"));
  return words[0] === "help" ? words[1] : words[0];
}

const fingerprint = async (file) => {
  const info = await stat(path.join(root, file));
  return `${info.size}:${info.mtimeMs}`;
};

/** True when the manifest's bundle exists and every source file it was built from is unchanged. */
async function fresh() {
  const manifest = JSON.parse(await readFile(MANIFEST, "utf8").catch(() => "{}"));
  if (!manifest.inputs || manifest.bundle !== BUNDLE) return false;
  try {
    await stat(BUNDLE);
    for (const [file, print] of Object.entries(manifest.inputs)) if ((await fingerprint(file)) !== print) return false;
    return true;
  } catch {
    return false;
  }
}

/** Every dynamic import stays out of the bundle: those are the command modules and the context. */
const deferDynamicImports = {
  name: "defer-dynamic-imports",
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== "dynamic-import") return undefined;
      const target = path.resolve(args.resolveDir, args.path.replace(/\.js$/, ".ts"));
      return { path: pathToFileURL(target).href, external: true };
    });
  },
};

async function build() {
  const esbuild = await import("esbuild");
  await mkdir(CACHE_DIR, { recursive: true });
  const tmp = `${BUNDLE}.${process.pid}.tmp`;
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: tmp,
    metafile: true,
    logLevel: "silent",
    plugins: [deferDynamicImports],
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) inputs[file] = await fingerprint(file);
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
  await rename(tmp, BUNDLE);
  const manifestTmp = `${MANIFEST}.${process.pid}.tmp`;
  await writeFile(manifestTmp, `${JSON.stringify({ bundle: BUNDLE, inputs, imports }, null, 2)}\n`);
  await rename(manifestTmp, MANIFEST);
}

/** The bundle's module (exports `runCli`), or undefined when it cannot be built here (then use tsx). */
export async function loadLightBundle() {
  try {
    if (!(await fresh())) await build();
    return await import(pathToFileURL(BUNDLE).href);
  } catch {
    return undefined;
  }
}
