/**
 * User agent → a coarse client family, the signal behaviour models want (a person in the console,
 * the CLI, an SDK in some language, Terraform, an AWS service acting on its own, an attack tool).
 * CloudTrail sometimes wraps the agent in brackets (`[aws-cli/2.17 ...]`); they are ignored.
 * A browser agent (`Mozilla/…`) counts as `console`: that is how people reach AWS from a browser.
 */
export type UserAgentFamily =
  | "console"
  | "cli"
  | `sdk-${string}`
  | "terraform"
  | "boto3/python"
  | "aws-service"
  | "stratus-red-team"
  | "other";

const SDK_NAMES: Record<string, string> = {
  go: "go",
  "go-v2": "go",
  java: "java",
  js: "js",
  nodejs: "js",
  javascript: "js",
  dotnet: "dotnet",
  net: "dotnet",
  ruby: "ruby",
  ruby2: "ruby",
  ruby3: "ruby",
  php: "php",
  rust: "rust",
  cpp: "cpp",
  kotlin: "kotlin",
  swift: "swift",
};

export function userAgentFamily(userAgent: string | null | undefined): UserAgentFamily {
  if (!userAgent) return "other";
  const ua = userAgent.trim().replace(/^\[/, "").replace(/\]$/, "");
  const lower = ua.toLowerCase();
  // Terraform first: Stratus tags the Terraform runs that warm up and clean up its attacks, but
  // only agents starting with its own name are the attack calls (invictus labels them apart).
  if (lower.includes("terraform") || lower.includes("hashicorp")) return "terraform";
  if (lower.includes("stratus-red-team")) return "stratus-red-team";
  if (lower.startsWith("aws-cli/") || lower.startsWith("aws-shell/")) return "cli";
  if (
    /^(console|signin)\.([a-z0-9-]+\.)*amazonaws\.com$/.test(lower) ||
    lower.includes("s3console") ||
    lower.includes(" console") ||
    lower.startsWith("mozilla/") ||
    lower.startsWith("aws console")
  ) {
    return "console";
  }
  if (lower.startsWith("boto3/") || lower.startsWith("botocore/") || lower.startsWith("python-")) return "boto3/python";
  if (lower.startsWith("awspowershell") || lower.includes("aws-sdk-powershell")) return "sdk-powershell";
  const sdk = /aws-sdk-([a-z0-9-]+?)(?:-v\d)?\//.exec(lower);
  if (sdk?.[1] === "python") return "boto3/python";
  if (sdk?.[1] && !lower.startsWith("aws-internal")) return `sdk-${SDK_NAMES[sdk[1]] ?? sdk[1]}`;
  if (
    lower === "aws internal" ||
    lower.startsWith("aws-internal") ||
    lower === "awslambda-worker" ||
    /^([a-z0-9-]+\.)+amazonaws\.com$/.test(lower)
  ) {
    return "aws-service";
  }
  if (sdk?.[1]) return `sdk-${SDK_NAMES[sdk[1]] ?? sdk[1]}`;
  return "other";
}
