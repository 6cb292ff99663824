/**
 * Placeholder for the CloudTrail MCP Lambda (Function URL, RESPONSE_STREAM), so the CDK app can bundle it.
 * Another engineer replaces it with the real handler; the export name `handler` is what infra/ deploys.
 */
export interface NotImplementedResponse {
  statusCode: 501;
  headers: Record<string, string>;
  body: string;
}

export async function handler(_event: unknown): Promise<NotImplementedResponse> {
  return {
    statusCode: 501,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      error: { code: "NOT_IMPLEMENTED", message: "the CloudTrail MCP server is not implemented yet" },
    }),
  };
}
