import { badInput } from "../errors.js";
import { GROUPS, type Group, MUNICIPALITY_CODE } from "./groups.js";
import { passwordPolicyProblems } from "./password.js";

/** Checks shared by the CLI, the admin routes and the pool itself, with messages that say what to do. */
export function assertPasswordPolicy(password: string): void {
  const problems = passwordPolicyProblems(password);
  if (problems.length > 0) {
    throw badInput(`the password needs ${problems.join(", ")}`, "Cognito's default policy: 8–256 characters");
  }
}

export function validateNewUser(input: {
  username: string;
  password: string;
  groups: readonly string[];
  municipality?: string | null | undefined;
}): asserts input is typeof input & { groups: Group[] } {
  if (!/^[a-zA-Z0-9._@-]{3,64}$/.test(input.username)) {
    throw badInput(`invalid username ${JSON.stringify(input.username)}`, "use 3–64 letters, digits, . _ @ -");
  }
  assertPasswordPolicy(input.password);
  const unknown = input.groups.filter((g) => !(GROUPS as readonly string[]).includes(g));
  if (input.groups.length === 0 || unknown.length > 0) {
    throw badInput(`unknown or missing group ${unknown.join(", ")}`.trim(), `use one of ${GROUPS.join(", ")}`);
  }
  const staff = input.groups.includes("staff");
  if (staff && !input.municipality) throw badInput("a staff user needs a municipality", "pass --municipality <code>");
  if (!staff && input.municipality) {
    throw badInput("only staff users belong to a municipality", "leave the municipality out for this group");
  }
  if (input.municipality && !MUNICIPALITY_CODE.test(input.municipality)) {
    throw badInput(
      `invalid municipality ${JSON.stringify(input.municipality)}`,
      "a code such as 131041 or us-tx-austin",
    );
  }
}
