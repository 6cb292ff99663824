/** The CLI's text helpers live in `src/text/format.ts` (also used below the CLI); re-exported for the commands. */
export { csv, fmt, table } from "../text/format.js";
