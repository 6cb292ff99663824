import { Hono } from "hono";
import { z } from "zod";
import { GROUPS, MUNICIPALITY_CODE } from "../../auth/groups.js";
import { RULES } from "../../auth/policy.js";
import { CatdataError } from "../../errors.js";
import type { ApiDeps, ApiEnv } from "../context.js";
import { authorize } from "../middleware/authorize.js";

export const usernameParams = z.object({
  username: z
    .string()
    .regex(/^[a-zA-Z0-9._@-]{3,64}$/)
    .describe("the user's name"),
});
export const createUserBody = z.strictObject({
  username: usernameParams.shape.username,
  password: z.string().min(1).max(256).describe("the first password (Cognito's default policy)"),
  groups: z.array(z.enum(GROUPS)).min(1).max(4).describe("admin, analyst, staff or viewer"),
  municipality: z
    .string()
    .regex(MUNICIPALITY_CODE)
    .nullable()
    .optional()
    .describe("staff only: the municipality the user belongs to"),
});
export const resetPasswordBody = z.strictObject({
  password: z.string().min(1).max(256).describe("the new password; every session of the user ends"),
});

const readJson = (c: { req: { json: () => Promise<unknown> } }) => c.req.json().catch(() => ({}));

/**
 * User administration for admins (the Cognito `Admin*` API role): list, create, disable, enable and
 * reset a password. Disabling and resetting end the user's sessions (refresh tokens); access tokens
 * already issued stay valid until they expire (1 h), as with Cognito.
 */
export function usersRoutes(deps: ApiDeps) {
  const admin = authorize(deps, RULES.adminOnly);
  return new Hono<ApiEnv>()
    .get("/users", admin, async (c) => c.json({ items: await deps.users.list() }))
    .post("/users", admin, async (c) => {
      const body = createUserBody.parse(await readJson(c));
      return c.json(await deps.users.create(body), 201);
    })
    .post("/users/:username/disable", admin, async (c) => {
      const { username } = usernameParams.parse(c.req.param());
      if (username.toLowerCase() === c.get("user").username.toLowerCase()) {
        throw new CatdataError("CONFLICT", "you cannot disable yourself", { hint: "ask another admin" });
      }
      return c.json(await deps.users.setEnabled(username, false));
    })
    .post("/users/:username/enable", admin, async (c) => {
      const { username } = usernameParams.parse(c.req.param());
      return c.json(await deps.users.setEnabled(username, true));
    })
    .post("/users/:username/password", admin, async (c) => {
      const { username } = usernameParams.parse(c.req.param());
      const body = resetPasswordBody.parse(await readJson(c));
      await deps.users.setPassword(username, body.password);
      return c.json({ ok: true, message: `password of ${username} reset; their sessions are signed out` });
    });
}
