import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { badInput } from "../errors.js";

/**
 * Read-only enforcement for user SQL, decided by DuckDB's own parser, not by regexes:
 * `extractStatements` counts the statements (exactly one), `json_serialize_sql` serialises only
 * SELECT statements (anything else is an error) and gives the parse tree, in which every table
 * function and every table name is checked: table functions other than a few generators and
 * tables named like a file or URL (DuckDB's replacement scans: `FROM '/etc/passwd'`) are refused.
 * The parser runs in its own in-memory DuckDB with external access disabled and locked, so
 * parsing can never touch a file. The engines add their own lock-down behind this check.
 */
const ALLOWED_TABLE_FUNCTIONS = new Set(["range", "generate_series", "unnest"]);
const FILE_LIKE = /[/\\:~]|\.(csv|tsv|txt|parquet|json|jsonl|ndjson|xlsx|db|duckdb|gz|zst)$/i;

let parser: Promise<DuckDBConnection> | undefined;
function parserConnection(): Promise<DuckDBConnection> {
  parser ??= DuckDBInstance.create(":memory:", {
    enable_external_access: "false",
    lock_configuration: "true",
  })
    .then((instance) => instance.connect())
    .catch((error: unknown) => {
      parser = undefined;
      throw error;
    });
  return parser;
}

const HINT = "send one SELECT (or WITH … SELECT) over the lake's tables, e.g. SELECT count(*) FROM intakes";

export async function assertReadOnlySql(sql: string): Promise<void> {
  if (sql.trim() === "") throw badInput("the query is empty", HINT);
  if (withoutComments(sql).replace(/[\s;]/g, "") === "") {
    throw badInput("the query has no statement (only comments or `;`)", HINT);
  }
  const connection = await parserConnection();
  let count: number;
  try {
    count = (await connection.extractStatements(sql)).count;
  } catch (error) {
    throw badInput(`the query does not parse: ${firstLine(error)}`, HINT);
  }
  if (count === 0) throw badInput("the query has no statement (only comments or `;`)", HINT);
  if (count > 1) {
    throw badInput(`only one statement is allowed; found ${count} (separated by \`;\`)`, HINT);
  }
  const reader = await connection.runAndReadAll("SELECT json_serialize_sql($1::VARCHAR) AS tree", [sql]);
  const tree = JSON.parse(String(reader.getRowObjectsJson()[0]?.tree)) as SerializedSql;
  if (tree.error) {
    if (tree.error_type === "not implemented") {
      throw badInput(`only a SELECT (or WITH … SELECT) is allowed; found ${statementKind(sql)}`, HINT);
    }
    throw badInput(`the query does not parse: ${tree.error_message ?? "unknown error"}`, HINT);
  }
  for (const ref of tableRefs(tree)) {
    if (ref.type === "TABLE_FUNCTION" && !ALLOWED_TABLE_FUNCTIONS.has(ref.name.toLowerCase())) {
      throw badInput(
        `the table function ${ref.name}() is not allowed (it can read files or run other SQL)`,
        "query the lake's tables by name (intakes, outcomes, tnr, complaints, aggregates)",
      );
    }
    if (ref.type === "BASE_TABLE" && FILE_LIKE.test(ref.name)) {
      throw badInput(
        `reading a file or URL directly (${JSON.stringify(ref.name)}) is not allowed`,
        "query the lake's tables by name (intakes, outcomes, tnr, complaints, aggregates)",
      );
    }
  }
}

interface SerializedSql {
  error: boolean;
  error_type?: string;
  error_message?: string;
  statements?: unknown[];
}

interface TableRef {
  type: "TABLE_FUNCTION" | "BASE_TABLE";
  name: string;
}

/** Every table function call and table name anywhere in the tree (subqueries, CTEs, joins, unions). */
function tableRefs(node: unknown, out: TableRef[] = []): TableRef[] {
  if (Array.isArray(node)) {
    for (const item of node) tableRefs(item, out);
  } else if (node !== null && typeof node === "object") {
    const n = node as Record<string, unknown> & { function?: { function_name?: unknown } };
    if (n.type === "TABLE_FUNCTION") out.push({ type: n.type, name: String(n.function?.function_name ?? "?") });
    if (n.type === "BASE_TABLE") {
      const parts = [n.catalog_name, n.schema_name, n.table_name].filter((p) => typeof p === "string" && p !== "");
      out.push({ type: n.type, name: parts.join(".") });
    }
    for (const value of Object.values(node)) tableRefs(value, out);
  }
  return out;
}

/** Names a refused statement for the message: its first keyword (for WITH …, the data-changing verb). */
function statementKind(sql: string): string {
  const code = withoutComments(sql).replace(/^[\s(]+/, "");
  const first = (/^[A-Za-z_]+/.exec(code)?.[0] ?? "a statement").toUpperCase();
  if (first !== "WITH") return first;
  const verb = /\b(INSERT|UPDATE|DELETE|MERGE|COPY)\b/i.exec(code)?.[1];
  return verb ? `WITH … ${verb.toUpperCase()}` : "a WITH statement that is not a SELECT";
}

const withoutComments = (sql: string) => sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, " ");

const firstLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error))
    .replace(/^Failed to extract statements: /, "")
    .split("\n")[0];
