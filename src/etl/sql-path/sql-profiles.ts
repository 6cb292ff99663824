import { austinIntakes } from "../profiles/austin-intakes.js";
import type { MappingProfile } from "../profiles/profile.js";
import { austinIntakesSql } from "./austin-intakes-sql.js";
import type { SqlProfile } from "./sql-profile.js";

/**
 * The built-in profiles that have a SQL form (the DuckDB ingest path), keyed by the profile object
 * itself — so a declarative mapping that happens to share a built-in's name never gets its SQL.
 * Each pair is parity-tested (sql-path.test.ts: the same records, counts and quarantine).
 */
const SQL_FORMS: ReadonlyMap<MappingProfile, SqlProfile> = new Map([[austinIntakes, austinIntakesSql]]);

/** The SQL form of this profile, or undefined (the JS path reads its files). */
export const sqlProfileFor = (profile: MappingProfile): SqlProfile | undefined => SQL_FORMS.get(profile);
