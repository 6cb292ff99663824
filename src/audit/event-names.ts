/**
 * The API operation a request names, as CloudTrail's `eventName`: a table from method + route
 * pattern to name, with a generic fallback (verb + the route's fixed segments, `GetFooBar`) for
 * routes not listed, and `UnknownOperation` for requests no route matched.
 */
const TABLE: Record<string, string> = {
  "GET /cats": "GetCats",
  "GET /cats/stats": "GetCatsStats",
  "GET /municipalities": "ListMunicipalities",
  "POST /uploads": "CreateUpload",
  "GET /uploads": "ListUploads",
  "GET /uploads/:": "GetUpload",
  "POST /uploads/:/preview": "PreviewUpload",
  "GET /uploads/:/suggestion": "SuggestUploadMapping",
  "POST /queries": "RunQuery",
  "GET /queries": "ListSavedQueries",
  "GET /queries/saved": "ListSavedQueries",
  "POST /queries/saved": "SaveQuery",
  "PUT /queries/saved/:": "SaveQuery",
  "GET /queries/saved/:": "GetSavedQuery",
  "DELETE /queries/saved/:": "DeleteSavedQuery",
  "GET /queries/saved/:/versions": "ListSavedQueryVersions",
  "GET /queries/saved/:/versions/:": "GetSavedQueryVersion",
  "POST /auth/login": "Login",
  "POST /auth/logout": "Logout",
  "POST /auth/refresh": "RefreshToken",
  "POST /auth/password": "ChangePassword",
  "PUT /auth/password": "ChangePassword",
  "POST /users": "CreateUser",
  "GET /users": "ListUsers",
  "GET /users/:": "GetUser",
  "POST /users/:/disable": "DisableUser",
  "DELETE /users/:": "DisableUser",
  "POST /users/:/password": "ResetUserPassword",
  "GET /.well-known/jwks.json": "GetSigningKeys",
  "GET /openapi.json": "GetOpenApi",
  "GET /docs": "GetApiDocs",
  "GET /metrics": "GetMetrics",
  "ALL /mcp": "McpRequest",
  "GET /mcp": "McpRequest",
  "POST /mcp": "McpRequest",
  "DELETE /mcp": "McpRequest",
};

export const UNKNOWN_OPERATION = "UnknownOperation";

const VERBS: Record<string, string> = {
  GET: "Get",
  HEAD: "Head",
  POST: "Create",
  PUT: "Put",
  PATCH: "Update",
  DELETE: "Delete",
};

/** `/uploads/:uploadId{[0-9a-f]+}` → `/uploads/:`; trailing slashes dropped. */
export const normalisePattern = (pattern: string): string =>
  pattern.replace(/\/:[^/]+/g, "/:").replace(/\/+$/, "") || "/";

const pascal = (segment: string) =>
  segment
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join("");

/**
 * The eventName of `method pattern`. Tries the pattern, then without its first one or two segments
 * (so `/api/cats` and a stage prefix still find `GetCats`), then the generic name.
 */
export function eventNameFor(method: string, pattern: string | undefined, basePath = ""): string {
  if (pattern === undefined) return UNKNOWN_OPERATION;
  const verb = method.toUpperCase();
  const stripped = normalisePattern(
    basePath && pattern.startsWith(basePath) ? pattern.slice(basePath.length) : pattern,
  );
  let path = stripped;
  for (let drop = 0; drop <= 2; drop += 1) {
    const hit = TABLE[`${verb} ${path}`] ?? TABLE[`ALL ${path}`];
    if (hit) return hit;
    const next = path.indexOf("/", 1);
    if (next < 0) break;
    path = path.slice(next);
  }
  const fixed = stripped
    .split("/")
    .filter((s) => s !== "" && s !== ":" && !s.includes("*"))
    .map(pascal)
    .join("");
  return `${VERBS[verb] ?? pascal(verb.toLowerCase())}${fixed || "Root"}`;
}
