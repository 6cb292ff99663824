#!/usr/bin/env node
// Completes package-lock.json with the other platforms' optional binary packages.
//
// Why: the registry this project installs from serves each native package only for the platforms it
// mirrors, so `npm install` here leaves e.g. @biomejs/cli-darwin-arm64 out of the lockfile, and then
// `npm ci` refuses the lockfile ("Missing: … from lock file"). Each missing optional dependency gets an
// entry with its exact version and the os/cpu/libc read from its name, so npm ci on Linux skips it as it
// would skip any other platform's binary. Run `npm run lock:complete` after changing dependencies.
import { readFileSync, writeFileSync } from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));
const packages = lock.packages;

const OS = ["android", "darwin", "freebsd", "linux", "netbsd", "openbsd", "sunos", "win32", "aix", "openharmony"];
const CPU = ["arm64", "x64", "ia32", "arm", "ppc64", "s390x", "riscv64", "loong64", "mips64el", "wasm32"];
function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const os =
    parts.find((p) => OS.includes(p)) ??
    (parts.includes("windows") || parts.includes("win") ? "win32" : parts.includes("macos") ? "darwin" : undefined);
  const cpu =
    parts.find((p) => CPU.includes(p)) ??
    (parts.includes("x86_64") || parts.includes("amd64") ? "x64" : parts.includes("aarch64") ? "arm64" : undefined);
  const libc = parts.includes("musl")
    ? "musl"
    : os === "linux" && (parts.includes("gnu") || parts.includes("glibc"))
      ? "glibc"
      : undefined;
  return { os, cpu, libc };
}

let added = 0;
for (const [path, meta] of Object.entries(packages)) {
  for (const [dep, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    // Resolution: nested under the parent first, then hoisted to the top.
    const nested = `${path ? `${path}/` : ""}node_modules/${dep}`;
    if (packages[nested] || packages[`node_modules/${dep}`]) continue;
    const { os, cpu, libc } = platformOf(dep);
    if (!os && !cpu) continue; // not a platform binary: leave it to npm
    const version = String(spec).replace(/^[\^~=]/, "");
    packages[`node_modules/${dep}`] = {
      version,
      ...(meta.dev ? { dev: true } : {}),
      optional: true,
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(os ? { os: [os] } : {}),
      ...(libc ? { libc: [libc] } : {}),
    };
    added += 1;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} other-platform optional entries`);
