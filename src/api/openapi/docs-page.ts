import { createHash } from "node:crypto";

/**
 * `/docs`: the OpenAPI document rendered server-side as one static HTML page — a table of the
 * operations with their rule, parameters, body and responses — with no script and no CDN. Its only
 * style sheet is inline and allowed by hash in the page's Content-Security-Policy.
 */
type Json = Record<string, unknown>;

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d1d1f}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #d0d0d7;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f6}code,pre{font:12px/1.4 ui-monospace,monospace}pre{margin:0;white-space:pre-wrap;max-height:18rem;overflow:auto}
.m{font-weight:700;text-transform:uppercase}.get{color:#0a6}.post{color:#06c}.put,.patch{color:#a60}.delete{color:#c22}
h2{margin-top:2.5rem;border-bottom:1px solid #ccc}details{margin:.2rem 0}`;

export const DOCS_CSP = `default-src 'none'; style-src 'sha256-${createHash("sha256").update(STYLE).digest("base64")}'; frame-ancestors 'none'`;

const esc = (value: unknown) => String(value).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const pretty = (value: unknown) =>
  `<details><summary>schema</summary><pre>${esc(JSON.stringify(value, null, 2))}</pre></details>`;

function parametersTable(parameters: Json[]): string {
  if (parameters.length === 0) return "—";
  const rows = parameters.map(
    (p) =>
      `<tr><td><code>${esc(p.name)}</code>${p.required ? " *" : ""}</td><td>${esc(p.in)}</td><td><code>${esc(
        JSON.stringify(p.schema),
      )}</code></td><td>${esc(p.description ?? "")}</td></tr>`,
  );
  return `<table><tr><th>name</th><th>in</th><th>schema</th><th>description</th></tr>${rows.join("")}</table>`;
}

function operationSection(path: string, method: string, op: Json): string {
  const body = op.requestBody as { content?: Record<string, { schema?: unknown; description?: string }> } | undefined;
  const bodies = Object.entries(body?.content ?? {}).map(
    ([type, b]) =>
      `<div><code>${esc(type)}</code> ${esc(b.description ?? "")}${b.schema ? pretty(b.schema) : ""}</div>`,
  );
  const responses = Object.entries(
    (op.responses ?? {}) as Record<string, { description?: string; content?: Json }>,
  ).map(([status, r]) => {
    const schema = Object.values(r.content ?? {})[0] as { schema?: unknown } | undefined;
    return `<tr><td>${esc(status)}</td><td>${esc(r.description ?? "")}</td><td>${schema?.schema ? pretty(schema.schema) : ""}</td></tr>`;
  });
  return `<h3 id="${esc(op.operationId)}"><span class="m ${esc(method)}">${esc(method)}</span> <code>${esc(path)}</code></h3>
<p>${esc(op.summary ?? "")}</p><p><b>Who may call it:</b> ${esc(op["x-catdata-rule"] ?? "")}</p>
<h4>Parameters</h4>${parametersTable((op.parameters ?? []) as Json[])}
${bodies.length ? `<h4>Body</h4>${bodies.join("")}` : ""}
<h4>Responses</h4><table><tr><th>status</th><th>meaning</th><th>body</th></tr>${responses.join("")}</table>`;
}

export function renderDocsPage(document: Json): string {
  const info = document.info as { title: string; version: string; description: string };
  const server = ((document.servers as { url: string }[] | undefined)?.[0]?.url ?? "").replace(/\/$/, "");
  const operations = Object.entries(document.paths as Record<string, Record<string, Json>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const index = operations.map(
    ({ path, method, op }) =>
      `<tr><td class="m ${esc(method)}">${esc(method)}</td><td><a href="#${esc(op.operationId)}"><code>${esc(
        path,
      )}</code></a></td><td>${esc(op.summary ?? "")}</td><td>${esc(op["x-catdata-rule"] ?? "")}</td></tr>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(info.title)} ${esc(info.version)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head><body>
<h1>${esc(info.title)} <small>${esc(info.version)}</small></h1><p>${esc(info.description)}</p>
<p>Base URL: <code>${esc(server || "/")}</code> · machine-readable: <a href="${esc(server)}/openapi.json">openapi.json</a> (OpenAPI 3.1)</p>
<p>Sign in with <code>POST /auth/login</code>, then send <code>Authorization: Bearer &lt;accessToken&gt;</code>.</p>
<h2>Operations</h2><table><tr><th>method</th><th>path</th><th>summary</th><th>who may call it</th></tr>${index.join("")}</table>
${operations.map(({ path, method, op }) => operationSection(path, method, op)).join("\n")}
</body></html>`;
}
