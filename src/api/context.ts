import type { AuditRecorder } from "../audit/recorder.js";
import type { Claims, TokenIssuer } from "../auth/tokens.js";
import type { LocalUserPool } from "../auth/user-pool.js";
import type { Runtime } from "../runtime.js";

/** What the HTTP app needs: the runtime plus the user pool and its token issuer/verifier. */
export interface ApiDeps {
  runtime: Runtime;
  users: LocalUserPool;
  tokens: TokenIssuer;
  verify: (token: string) => Promise<Claims>;
  /** The audit trail (the CloudTrail role): every call becomes one record; none: not recorded. */
  audit?: AuditRecorder;
  /** Where request counts and latencies go (the `/metrics` of the health port); none: not measured. */
  metrics?: RequestMetrics;
}

/** The monitoring side of the API (implemented by `src/server/metrics/`). */
export interface RequestMetrics {
  observe(request: { method: string; route: string; status: number; seconds: number }): void;
  rateLimited(scope: "ip" | "user"): void;
}

export type ApiEnv = {
  Variables: {
    requestId: string;
    user: Claims;
    /** The caller's source IP as the protection middleware sees it (`unknown` when none). */
    clientIp: string;
  };
};
