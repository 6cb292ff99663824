import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  ListTableMetadataCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from "@aws-sdk/client-athena";
import { CatdataError } from "../errors.js";
import { executionParameters, toRows } from "./athena-results.js";
import {
  DEFAULT_MAX_ROWS,
  DEFAULT_TIMEOUT_MS,
  type QueryEngine,
  type QueryOptions,
  type QueryResult,
  queryTimedOut,
} from "./query-engine.js";

/**
 * Athena over the Glue catalog's `catdata` database: StartQueryExecution in the configured
 * workgroup (results to `s3://<bucket>/athena-query-results/`, SSE-S3), GetQueryExecution polled
 * with backoff until it ends (StopQueryExecution at the timeout), then GetQueryResults page by page
 * up to the row limit. The clock and the sleep are injectable so tests pin the polling.
 */
export interface AthenaEngineOptions {
  workgroup: string;
  /** The bucket of the result location (the store's bucket). */
  outputBucket: string;
  region?: string;
  database?: string;
  client?: AthenaClient;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export const ATHENA_CATALOG = "AwsDataCatalog";
const PAGE = 1000;

export class AthenaQueryEngine implements QueryEngine {
  readonly kind = "athena" as const;
  private readonly client: AthenaClient;
  private readonly database: string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: AthenaEngineOptions) {
    this.client = options.client ?? new AthenaClient(options.region ? { region: options.region } : {});
    this.database = options.database ?? "catdata";
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
  }

  async tables(): Promise<string[]> {
    const names: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.call((c) =>
        c.send(new ListTableMetadataCommand({ CatalogName: ATHENA_CATALOG, DatabaseName: this.database, NextToken })),
      );
      for (const t of page.TableMetadataList ?? []) if (t.Name) names.push(t.Name);
      NextToken = page.NextToken;
    } while (NextToken);
    return names.sort();
  }

  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
    const { QueryExecutionId: id } = await this.call((c) =>
      c.send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          WorkGroup: this.options.workgroup,
          QueryExecutionContext: { Database: this.database, Catalog: ATHENA_CATALOG },
          ResultConfiguration: {
            OutputLocation: `s3://${this.options.outputBucket}/athena-query-results/`,
            EncryptionConfiguration: { EncryptionOption: "SSE_S3" },
          },
          ExecutionParameters: executionParameters(options.params),
        }),
      ),
    );
    if (!id) throw new CatdataError("UNAVAILABLE", "Athena did not return a query execution id");
    await this.waitFor(id, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    return { ...(await this.results(id, maxRows)), queryId: id };
  }

  private async waitFor(id: string, timeoutMs: number): Promise<void> {
    const started = this.now();
    for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
      const { QueryExecution: run } = await this.call((c) =>
        c.send(new GetQueryExecutionCommand({ QueryExecutionId: id })),
      );
      const state = run?.Status?.State;
      if (state === "SUCCEEDED") return;
      if (state === "FAILED" || state === "CANCELLED") throw failed(id, run);
      if (this.now() - started + delay > timeoutMs) {
        await this.call((c) => c.send(new StopQueryExecutionCommand({ QueryExecutionId: id })));
        throw queryTimedOut(timeoutMs);
      }
      await this.sleep(delay);
    }
  }

  private async results(id: string, maxRows: number): Promise<Omit<QueryResult, "queryId">> {
    let columns: string[] = [];
    const rows: Record<string, unknown>[] = [];
    let NextToken: string | undefined;
    let first = true;
    do {
      const MaxResults = Math.min(PAGE, maxRows + 1 - rows.length + (first ? 1 : 0));
      const page = await this.call((c) =>
        c.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults, NextToken })),
      );
      const info = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      if (first) columns = info.map((c, i) => c.Name ?? `_col${i}`);
      rows.push(...toRows(info, page.ResultSet?.Rows ?? [], first));
      NextToken = page.NextToken;
      first = false;
    } while (NextToken && rows.length <= maxRows);
    const truncated = rows.length > maxRows;
    return { columns, rows: rows.slice(0, maxRows), truncated };
  }

  /** Sends a command, turning the SDK's errors into CatdataErrors. */
  private async call<T>(send: (client: AthenaClient) => Promise<T>): Promise<T> {
    try {
      return await send(this.client);
    } catch (error) {
      throw athenaError(error);
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

function failed(id: string, run: QueryExecution | undefined): CatdataError {
  const reason = run?.Status?.AthenaError?.ErrorMessage ?? run?.Status?.StateChangeReason ?? "no reason given";
  if (run?.Status?.State === "CANCELLED") {
    return new CatdataError("UNAVAILABLE", `Athena query ${id} was cancelled: ${reason}`);
  }
  const userError = run?.Status?.AthenaError?.ErrorCategory === 2;
  return new CatdataError(userError ? "BAD_INPUT" : "UNAVAILABLE", `Athena query ${id} failed: ${reason}`, {
    hint: userError ? "fix the SQL (Athena speaks Trino SQL)" : "retry; if it persists, check the workgroup",
  });
}

function athenaError(error: unknown): unknown {
  if (error instanceof CatdataError || !(error instanceof Error)) return error;
  if (error.name === "InvalidRequestException") {
    return new CatdataError("BAD_INPUT", `Athena refused the query: ${error.message}`, { cause: error });
  }
  if (error.name === "AccessDeniedException") {
    return new CatdataError("FORBIDDEN", `Athena denied access: ${error.message}`, {
      hint: "the role needs athena:*QueryExecution*, glue:Get* and s3 access to the result location",
      cause: error,
    });
  }
  return new CatdataError("UNAVAILABLE", `Athena failed: ${error.message}`, { cause: error });
}
