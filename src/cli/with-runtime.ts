import { openRuntime, type Runtime } from "../runtime.js";
import type { CliContext } from "./context.js";

/** Opens the runtime for one command and always closes it. */
export async function withRuntime<T>(ctx: CliContext, fn: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(ctx.config, ctx.logger);
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}
