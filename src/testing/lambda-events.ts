/**
 * Test events as AWS services send them to a Lambda, shared by the handler tests (src/lambda) and the
 * bundled-artifact tests (infra/test).
 */

/** The execute-api host of the test events. */
export const API_GATEWAY_HOST = "abc123.execute-api.ap-northeast-1.amazonaws.com";

/** A REST API (v1) proxy event as API Gateway sends it for `ANY /{proxy+}` on stage `prod`. */
export function apiGatewayRestEvent(
  method: string,
  route: string,
  options: { query?: Record<string, string>; headers?: Record<string, string>; body?: string } = {},
) {
  const headers = {
    Host: API_GATEWAY_HOST,
    "User-Agent": "curl/8.5.0",
    "X-Forwarded-For": "203.0.113.100",
    ...options.headers,
  };
  return {
    resource: "/{proxy+}",
    path: route,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: options.query
      ? Object.fromEntries(Object.entries(options.query).map(([k, v]) => [k, [v]]))
      : null,
    pathParameters: { proxy: route.slice(1) },
    stageVariables: null,
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: API_GATEWAY_HOST,
      domainPrefix: "abc123",
      extendedRequestId: "Xyz=",
      httpMethod: method,
      identity: { sourceIp: "203.0.113.100", userAgent: "curl/8.5.0" },
      path: `/prod${route}`,
      protocol: "HTTP/1.1",
      requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
      requestTimeEpoch: 1_714_550_400_000,
      resourceId: "abc",
      resourcePath: "/{proxy+}",
      stage: "prod",
    },
    body: options.body === undefined ? null : Buffer.from(options.body).toString("base64"),
    isBase64Encoded: options.body !== undefined,
  };
}
