/**
 * Where the platform's trail lives in the store, named exactly as CloudTrail names its objects:
 *   AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<random16>.json.gz
 *   AWSLogs/<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/
 *     <account>_CloudTrail-Digest_<region>_<trail>_<region>_<YYYYMMDDTHHmmssZ>.json.gz
 * None of these keys is under `raw/`, so their put events never start the ETL. Pure.
 */
export const TRAIL_PREFIX = "AWSLogs/";

export interface TrailLocation {
  accountId: string;
  region: string;
  trailName: string;
}

const pad = (n: number) => String(n).padStart(2, "0");
const datePath = (t: Date) => `${t.getUTCFullYear()}/${pad(t.getUTCMonth() + 1)}/${pad(t.getUTCDate())}`;
const compactDate = (t: Date) => `${t.getUTCFullYear()}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}`;
/** `20240501T1005Z` */
export const minuteStamp = (t: Date) => `${compactDate(t)}T${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}Z`;
/** `20240501T100530Z` */
export const secondStamp = (t: Date) =>
  `${compactDate(t)}T${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}${pad(t.getUTCSeconds())}Z`;

const RANDOM_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** CloudTrail's 16-character unique part of a log file name. */
export function randomSuffix(bytes: Uint8Array = crypto.getRandomValues(new Uint8Array(16))): string {
  return Array.from(bytes.subarray(0, 16), (b) => RANDOM_ALPHABET[b % RANDOM_ALPHABET.length]).join("");
}

export const logFolder = (loc: TrailLocation) => `${TRAIL_PREFIX}${loc.accountId}/CloudTrail/${loc.region}/`;
export const digestFolder = (loc: TrailLocation) => `${TRAIL_PREFIX}${loc.accountId}/CloudTrail-Digest/${loc.region}/`;

export const logFileKey = (loc: TrailLocation, deliveredAt: Date, random: string) =>
  `${logFolder(loc)}${datePath(deliveredAt)}/${loc.accountId}_CloudTrail_${loc.region}_${minuteStamp(deliveredAt)}_${random}.json.gz`;

export const digestFileKey = (loc: TrailLocation, endTime: Date) =>
  `${digestFolder(loc)}${datePath(endTime)}/${loc.accountId}_CloudTrail-Digest_${loc.region}_${loc.trailName}_${loc.region}_${secondStamp(endTime)}.json.gz`;

/** Is `key` a digest of this trail (and not of another trail writing to the same account/region)? */
export const isDigestOf = (loc: TrailLocation, key: string) =>
  key.startsWith(digestFolder(loc)) && key.includes(`_CloudTrail-Digest_${loc.region}_${loc.trailName}_${loc.region}_`);
