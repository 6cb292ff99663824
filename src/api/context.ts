import type { Claims, TokenIssuer } from "../auth/tokens.js";
import type { LocalUserPool } from "../auth/user-pool.js";
import type { Runtime } from "../runtime.js";

/** What the HTTP app needs: the runtime plus the user pool and its token issuer/verifier. */
export interface ApiDeps {
  runtime: Runtime;
  users: LocalUserPool;
  tokens: TokenIssuer;
  verify: (token: string) => Promise<Claims>;
}

export type ApiEnv = {
  Variables: {
    requestId: string;
    user: Claims;
  };
};
