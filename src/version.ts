/** The platform's version, as /healthcheck, the OpenAPI document and the MCP server report it. */
export const VERSION = "0.1.0";
