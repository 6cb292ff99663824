import { CatdataError } from "../errors.js";

/**
 * Why a sign-in or token refresh failed, for the audit record only. The HTTP response is the same
 * generic 401 for all of them (no user enumeration); the audit middleware reads `auditCode` from
 * `c.error` and writes it as the CloudTrail `errorCode`.
 */
export type SignInFailure =
  | "NotAuthorizedException"
  | "UserNotFoundException"
  | "UserLockedOut"
  | "UserDisabled"
  | "RefreshTokenInvalid"
  | "RefreshTokenExpired"
  | "RefreshTokenReuse";

export const GENERIC_SIGN_IN_MESSAGE = "incorrect username or password";

export class SignInError extends CatdataError {
  readonly auditCode: SignInFailure;

  constructor(auditCode: SignInFailure, message = GENERIC_SIGN_IN_MESSAGE) {
    super("UNAUTHENTICATED", message);
    this.name = "SignInError";
    this.auditCode = auditCode;
  }
}

/** The refresh-token failures share one message too: the caller learns only "sign in again". */
export const refreshFailed = (auditCode: SignInFailure) =>
  new SignInError(auditCode, "invalid or expired refresh token; sign in again at /auth/login");

/** The audit code of an error a route threw (`c.error` after the error handler ran), if it is a sign-in failure. */
export const auditCodeOf = (error: unknown): SignInFailure | undefined =>
  error instanceof SignInError ? error.auditCode : undefined;
