/**
 * The few typed errors of catdata. Each carries a stable string code and a message that says
 * what was wrong and what to do. HTTP and CLI edges turn them into responses / exit codes.
 */
export type ErrorCode =
  | "CONFIG_INVALID"
  | "BAD_INPUT"
  | "NOT_FOUND"
  | "CONFLICT"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "RATE_LIMITED"
  | "PAYLOAD_TOO_LARGE"
  | "INTEGRITY"
  | "UNAVAILABLE";

const HTTP_STATUS: Record<ErrorCode, number> = {
  CONFIG_INVALID: 500,
  BAD_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  INTEGRITY: 500,
  UNAVAILABLE: 503,
};

export class CatdataError extends Error {
  readonly code: ErrorCode;
  /** Optional hint: what the user can do about it. */
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CatdataError";
    this.code = code;
    this.hint = options?.hint;
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }
}

export const badInput = (message: string, hint?: string) =>
  new CatdataError("BAD_INPUT", message, hint === undefined ? undefined : { hint });
export const notFound = (message: string, hint?: string) =>
  new CatdataError("NOT_FOUND", message, hint === undefined ? undefined : { hint });
