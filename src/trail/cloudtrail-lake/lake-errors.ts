import { CatdataError, type ErrorCode } from "../../errors.js";

/**
 * CloudTrail Lake's errors as CatdataErrors whose hint says what to do: a missing IAM action names
 * the action to grant, an unknown store points at list_event_data_stores, a rejected statement at
 * CloudTrail Lake's SQL form, missing credentials at the AWS credentials and CATDATA_CLOUDTRAIL_LAKE.
 * Anything else from AWS is UNAVAILABLE with AWS's own message. Errors that are already
 * CatdataErrors pass through.
 */
const STORE_HINT = "list_event_data_stores lists the stores this account can query; put one's id after FROM";
const SQL_HINT =
  "CloudTrail Lake SQL names the store after FROM, e.g. SELECT eventName, count(*) AS n FROM <event data store id> " +
  "WHERE eventTime > '2024-01-01 00:00:00' GROUP BY eventName";

const BY_NAME: Record<string, [ErrorCode, (action: string) => string]> = {
  AccessDeniedException: ["FORBIDDEN", (a) => `grant the server's AWS role the IAM action cloudtrail:${a}`],
  InsufficientIAMAccessPermissionException: [
    "FORBIDDEN",
    (a) => `grant the server's AWS role the IAM action cloudtrail:${a}`,
  ],
  UnrecognizedClientException: ["UNAVAILABLE", () => "check the server's AWS credentials (AWS_PROFILE or the role)"],
  ExpiredTokenException: ["UNAVAILABLE", () => "refresh the server's AWS credentials (AWS_PROFILE or the role)"],
  CredentialsProviderError: [
    "UNAVAILABLE",
    () =>
      "give the server AWS credentials (AWS_PROFILE, the environment or a role), or set CATDATA_CLOUDTRAIL_LAKE=off",
  ],
  EventDataStoreNotFoundException: ["NOT_FOUND", () => STORE_HINT],
  EventDataStoreARNInvalidException: ["BAD_INPUT", () => STORE_HINT],
  InactiveEventDataStoreException: ["BAD_INPUT", () => `the store is not enabled; ${STORE_HINT}`],
  InvalidQueryStatementException: ["BAD_INPUT", () => SQL_HINT],
  InvalidParameterException: ["BAD_INPUT", () => SQL_HINT],
  QueryIdNotFoundException: ["NOT_FOUND", () => "the query id is not known to CloudTrail Lake; run lake_query again"],
  InactiveQueryException: ["BAD_INPUT", () => "the query is no longer active; run lake_query again"],
  MaxConcurrentQueriesException: ["RATE_LIMITED", () => "too many queries are running; wait a minute and retry"],
  ThrottlingException: ["RATE_LIMITED", () => "CloudTrail Lake is throttling; wait a few seconds and retry"],
  CloudTrailAccessNotEnabledException: ["FORBIDDEN", () => "enable trusted access for CloudTrail in the organization"],
  OperationNotPermittedException: ["FORBIDDEN", (a) => `cloudtrail:${a} is not permitted for this account`],
};

/** `error` from CloudTrail Lake's `action` (StartQuery, …) as a CatdataError. */
export function lakeError(error: unknown, action: string): unknown {
  if (error instanceof CatdataError) return error;
  if (!(error instanceof Error)) return error;
  const known = BY_NAME[error.name];
  const message = `CloudTrail Lake ${action} failed: ${error.name}: ${error.message}`;
  if (known) return new CatdataError(known[0], message, { hint: known[1](action), cause: error });
  const fromAws = "$metadata" in error || "$fault" in error;
  return fromAws
    ? new CatdataError("UNAVAILABLE", message, {
        hint: "retry later; docs/mcp.md lists what CloudTrail Lake needs",
        cause: error,
      })
    : error;
}
