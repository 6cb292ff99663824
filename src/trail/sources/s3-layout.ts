import { badInput } from "../../errors.js";

/**
 * The S3 delivery layout of CloudTrail, as pure functions: `s3://bucket/prefix` URLs, the date in
 * a key (`…/CloudTrail/<region>/YYYY/MM/DD/…`), and the date prefixes under a region folder that
 * cover the days from `--since` to today, so that only those folders are listed.
 */
export interface S3Location {
  bucket: string;
  /** Empty, or ends with `/`. */
  prefix: string;
}

export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  const bucket = match?.[1];
  if (!bucket) throw badInput(`not an S3 URL: ${url}`, "write it as s3://bucket/prefix");
  const rest = match?.[2] ?? "";
  return { bucket, prefix: rest === "" || rest.endsWith("/") ? rest : `${rest}/` };
}

export const s3Url = (location: S3Location): string => `s3://${location.bucket}/${location.prefix}`;

/** A folder prefix ending in `CloudTrail[-Insight|-Digest]/<region>/`: date folders come next. */
export const isRegionPrefix = (prefix: string): boolean => /(^|\/)CloudTrail(-[A-Za-z]+)?\/[^/]+\/$/.test(prefix);

/** A prefix inside a region folder (a year, month or day): listed as it is. */
export const isBelowRegion = (prefix: string): boolean => /(^|\/)CloudTrail(-[A-Za-z]+)?\/[^/]+\/.+/.test(prefix);

/** `YYYY-MM-DD` of the date folder a key sits in, if it has one. */
export function dateOfKey(key: string): string | undefined {
  const match = /(?:^|\/)(\d{4})\/(\d{2})\/(\d{2})\//.exec(key);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
}

export function parseSince(since: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(since);
  const date = match ? new Date(`${match[1]}-${match[2]}-${match[3]}T00:00:00Z`) : undefined;
  if (!match || !date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== match[0]) {
    throw badInput(`--since must be a date YYYY-MM-DD, not ${JSON.stringify(since)}`);
  }
  return match[0];
}

const pad = (n: number) => String(n).padStart(2, "0");
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * Suffixes (`YYYY/MM/DD/`, `YYYY/MM/`, `YYYY/`) that together cover every day from `since` to
 * `today` (UTC), with as few prefixes as the layout allows: the rest of the first month day by
 * day, the rest of the first year month by month, later years whole.
 */
export function datePrefixes(since: string, today: Date): string[] {
  const [y, m, d] = parseSince(since).split("-").map(Number) as [number, number, number];
  const ny = today.getUTCFullYear();
  const nm = today.getUTCMonth() + 1;
  const nd = today.getUTCDate();
  if (y * 10_000 + m * 100 + d > ny * 10_000 + nm * 100 + nd) return [];
  const out: string[] = [];
  const sameMonth = y === ny && m === nm;
  for (let day = d; day <= (sameMonth ? nd : daysIn(y, m)); day += 1) out.push(`${y}/${pad(m)}/${pad(day)}/`);
  if (sameMonth) return out;
  for (let month = m + 1; month <= (y === ny ? nm : 12); month += 1) out.push(`${y}/${pad(month)}/`);
  for (let year = y + 1; year <= ny; year += 1) out.push(`${year}/`);
  return out;
}
