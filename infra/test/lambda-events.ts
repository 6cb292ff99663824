import { apiGatewayRestEvent as restEvent } from "../../src/testing/lambda-events.js";
/**
 * The events AWS sends the catdata Lambdas, in full as the services deliver them (not only the fields the handlers
 * read), for the tests that invoke bundled artifacts.
 */

/** An S3 event notification for one PUT (`s3:ObjectCreated:Put`) on an unversioned bucket, key URL-encoded. */
export function s3PutEvent(bucket: string, key: string, size: number) {
  return {
    Records: [
      {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        awsRegion: "ap-northeast-1",
        eventTime: "2026-01-10T12:00:00.000Z",
        eventName: "ObjectCreated:Put",
        userIdentity: { principalId: "AWS:AIDAEXAMPLE" },
        requestParameters: { sourceIPAddress: "203.0.113.100" },
        responseElements: {
          "x-amz-request-id": "C3D13FE58DE4C810",
          "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD",
        },
        s3: {
          s3SchemaVersion: "1.0",
          configurationId: "process-cat-data",
          bucket: { name: bucket, ownerIdentity: { principalId: "A3NL1KOZZKExample" }, arn: `arn:aws:s3:::${bucket}` },
          object: {
            key: encodeURIComponent(key).replace(/%2F/g, "/").replace(/%20/g, "+"),
            size,
            eTag: "d41d8cd98f00b204e9800998ecf8427e",
            sequencer: "0066A1B2C3D4E5F601",
          },
        },
      },
    ],
  };
}

/** A REST API (v1) proxy event (the one builder the handler tests use too), with extra headers. */
export const apiGatewayRestEvent = (method: string, route: string, headers: Record<string, string> = {}) =>
  restEvent(method, route, { headers });

/** A Lambda Function URL event (payload 2.0) for a JSON POST signed with SigV4 (AWS_IAM auth). */
export function functionUrlJsonPost(body: unknown) {
  const host = "abcdefghijklmnopqrstuvwxyz012345.lambda-url.ap-northeast-1.on.aws";
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: "/",
    rawQueryString: "",
    headers: {
      host,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "x-amz-date": "20260110T120000Z",
      "x-forwarded-for": "203.0.113.100",
      "x-forwarded-proto": "https",
    },
    requestContext: {
      accountId: "123456789012",
      apiId: "abcdefghijklmnopqrstuvwxyz012345",
      authorizer: {
        iam: {
          accessKey: "AKIAIOSFODNN7EXAMPLE",
          accountId: "123456789012",
          callerId: "AIDAEXAMPLE",
          principalOrgId: null,
          userArn: "arn:aws:iam::123456789012:user/analyst",
          userId: "AIDAEXAMPLE",
        },
      },
      domainName: host,
      domainPrefix: "abcdefghijklmnopqrstuvwxyz012345",
      http: { method: "POST", path: "/", protocol: "HTTP/1.1", sourceIp: "203.0.113.100", userAgent: "mcp-client" },
      requestId: "5b1f3c2e-0000-4000-8000-000000000002",
      routeKey: "$default",
      stage: "$default",
      time: "10/Jan/2026:12:00:00 +0000",
      timeEpoch: 1_768_046_400_000,
    },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}
