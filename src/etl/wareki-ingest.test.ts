/**
 * Pins, through the real ingest path (ingestFile → catdata template profile → lake → SQL), that a
 * TNR-like file with 和暦 dates in every style Japanese offices write loads every row on the right
 * day: an independent count per month (from the dates written out by hand below) equals the lake's
 * count per month. Month-only and out-of-era dates in a day field are quarantined with the reason;
 * in a complaints file a month or 年度 is a period (first day → receivedOn, last day → periodEnd).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import { ingestFile } from "./ingest.js";

let runtime: Runtime;
beforeAll(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
});
afterAll(async () => runtime.close());

/** As written in the file → the day it is (worked out by hand, not by the parser). */
const TNR_DATES: readonly [string, string][] = [
  ["令和5年7月22日", "2023-07-22"],
  ["R5.8.19", "2023-08-19"],
  ["R5/8/19", "2023-08-19"],
  ["Ｒ５．８．１９", "2023-08-19"],
  ["令和元年5月1日", "2019-05-01"],
  ["平成31年4月30日", "2019-04-30"],
  ["H30.4.1", "2018-04-01"],
  ["昭和64年1月7日", "1989-01-07"],
  ["平成元年1月8日", "1989-01-08"],
  ["令和５年７月２２日", "2023-07-22"],
  ["R5-7-1", "2023-07-01"],
  ["r5.7.31", "2023-07-31"],
  ["令和 5 年 8 月 1 日", "2023-08-01"],
  ["H31.4.1", "2019-04-01"],
  ["平成30年4月1日", "2018-04-01"],
  ["令和元年5月31日", "2019-05-31"],
  ["R1.5.2", "2019-05-02"],
  ["令和2年2月29日", "2020-02-29"],
  ["R2/2/1", "2020-02-01"],
  ["Ｈ３０／１２／３１", "2018-12-31"],
  ["S64.1.1", "1989-01-01"],
  ["令和6年3月31日", "2024-03-31"],
  ["R6.4.1", "2024-04-01"],
  ["2023年7月5日", "2023-07-05"],
  ["2023/8/30", "2023-08-30"],
];

/** Day fields refuse these, each with its reason. */
const TNR_REFUSED: readonly [string, RegExp][] = [
  ["令和2年6月", /"令和2年6月": this is a month, not a date: declare month precision in the mapping/],
  ["June 2020", /"June 2020": this is a month, not a date/],
  ["平成31年5月1日", /"平成31年5月1日" \(2019-05-01\) is outside 平成/],
  ["令和5年度", /"令和5年度" is a fiscal year \(年度\), not a date/],
];

const quote = (s: string) => (/[",]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
const csv = (header: string[], rows: string[][]) =>
  `\ufeff${[header, ...rows].map((r) => r.map(quote).join(",")).join("\r\n")}\r\n`;

describe("和暦 dates through the TNR template", () => {
  it("loads every row on the right day; month counts match the lake's", async () => {
    const rows = [...TNR_DATES.map(([d]) => d), ...TNR_REFUSED.map(([d]) => d)].map((d, i) => [
      "131041",
      d,
      `地区${i % 3}`,
      i % 2 ? "オス" : "メス",
      "1",
    ]);
    const file = path.join(tempDir(), "tnr-wareki.csv");
    writeFileSync(file, csv(["市区町村コード", "実施日", "地区", "性別", "頭数"], rows));
    const job = await ingestFile(runtime, file, { municipality: "131041" });
    expect(job.status, job.error ?? undefined).toBe("succeeded");
    expect(job.counts).toMatchObject({
      read: TNR_DATES.length + TNR_REFUSED.length,
      loaded: TNR_DATES.length,
      quarantined: TNR_REFUSED.length,
    });

    const expected = new Map<string, number>();
    for (const [, iso] of TNR_DATES) expected.set(iso.slice(0, 7), (expected.get(iso.slice(0, 7)) ?? 0) + 1);
    const lake = await runtime.query.query(
      "SELECT strftime(operated_on, '%Y-%m') AS month, count(*)::INT AS n FROM tnr GROUP BY 1 ORDER BY 1",
    );
    expect(Object.fromEntries(lake.rows.map((r) => [r.month, r.n]))).toEqual(
      Object.fromEntries([...expected].sort(([a], [b]) => a.localeCompare(b))),
    );
    const days = await runtime.query.query(
      "SELECT strftime(operated_on, '%Y-%m-%d') AS day FROM tnr ORDER BY source_row",
    );
    expect(days.rows.map((r) => r.day)).toEqual(TNR_DATES.map(([, iso]) => iso));

    const reasons = (await runtime.jobs.readQuarantine(job.jobId)).map((q) => q.reason);
    expect(reasons).toEqual(TNR_REFUSED.map(([, reason]) => expect.stringMatching(reason)));
  });

  it("reads months and 年度 as periods in the complaints template", async () => {
    const periods: [string, string, string, string][] = [
      ["令和2年6月", "令和2年6月", "2020-06-01", "2020-06-30"],
      ["June 2020", "Jun-2020", "2020-06-01", "2020-06-30"],
      ["2020/06", "2020-07", "2020-06-01", "2020-07-31"],
      ["令和5年度", "令和5年度", "2023-04-01", "2024-03-31"],
      ["平成30年度", "2018年度", "2018-04-01", "2019-03-31"],
      ["R5.8.19", "", "2023-08-19", ""],
    ];
    const file = path.join(tempDir(), "complaints-wareki.csv");
    writeFileSync(
      file,
      csv(
        ["市区町村コード", "受付日", "期間終了日", "苦情区分"],
        periods.map(([from, to]) => ["131041", from, to, "鳴き声"]),
      ),
    );
    const job = await ingestFile(runtime, file, { municipality: "131041" });
    expect(job.counts).toMatchObject({ read: periods.length, loaded: periods.length, quarantined: 0 });
    const back = await runtime.query.query(
      "SELECT strftime(received_on, '%Y-%m-%d') AS from_day, coalesce(strftime(period_end, '%Y-%m-%d'), '') AS to_day FROM complaints ORDER BY source_row",
    );
    expect(back.rows).toEqual(periods.map(([, , from, to]) => ({ from_day: from, to_day: to })));
  });
});
