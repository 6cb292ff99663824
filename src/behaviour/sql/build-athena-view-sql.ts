/**
 * Pure SQL builder: an Athena view that presents the table AWS documents for CloudTrail's S3 logs
 * (`CREATE EXTERNAL TABLE cloudtrail_logs … ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde'`)
 * under the column names the behaviour SQL reads, so the same training and event queries run on
 * Athena over the raw logs (`athenaDialect`, source = the view). The principal follows `principal.ts`
 * for the common identity types (IAM user, assumed role without its session, root, AWS service,
 * other account); rarer ones fall back on the ARN. No user-agent family (NULL).
 */
const ident = (name: string): string => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(name)) throw new Error(`not a table name: ${name}`);
  return name;
};

export function cloudtrailViewSql(view: string, table: string): string {
  return `CREATE OR REPLACE VIEW ${ident(view)} AS
SELECT
  eventid AS event_id,
  CAST(from_iso8601_timestamp(eventtime) AS TIMESTAMP) AS event_time,
  eventsource AS event_source,
  eventname AS event_name,
  coalesce(eventsource, 'unknown') || ':' || coalesce(eventname, 'unknown') AS event_key,
  CASE useridentity.type
    WHEN 'IAMUser' THEN 'iam-user:' || useridentity.accountid || '/' || useridentity.username
    WHEN 'AssumedRole' THEN 'role:' || useridentity.accountid || '/' || regexp_extract(useridentity.arn, 'assumed-role/([^/]+)', 1)
    WHEN 'Root' THEN 'root:' || useridentity.accountid
    WHEN 'AWSService' THEN 'service:' || coalesce(useridentity.invokedby, eventsource)
    WHEN 'AWSAccount' THEN 'account:' || useridentity.accountid
    ELSE coalesce(useridentity.arn, 'anonymous')
  END AS principal,
  coalesce(useridentity.type, CASE WHEN useridentity.invokedby IS NOT NULL THEN 'AWSService' ELSE 'None' END) AS principal_type,
  awsregion AS region,
  sourceipaddress AS source_ip,
  useragent AS user_agent,
  CAST(NULL AS VARCHAR) AS user_agent_family,
  CASE readonly WHEN 'true' THEN true WHEN 'false' THEN false END AS read_only,
  errorcode AS error_code,
  eventtype = 'AwsCloudTrailInsight' AS is_insight,
  '{"recipientAccountId":' || json_format(CAST(recipientaccountid AS JSON)) ||
    ',"requestParameters":' || coalesce(requestparameters, 'null') || '}' AS raw,
  "$path" AS source_file,
  0 AS record_index
FROM ${ident(table)}`;
}
