/** The platform's version lives in `src/version.ts` (a neutral module the API can import too). */
export { VERSION } from "../version.js";
