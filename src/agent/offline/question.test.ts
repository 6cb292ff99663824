/**
 * Pins what the offline model reads in a question, in English and Japanese: the kind (activity,
 * active hours, next actions, anomalies, cat KPIs, data status, else help), the principal (a name,
 * a quoted one, a principal id), the start time (ISO, a date — midnight JST in Japanese — or
 * relative to the clock) and the municipality (a 6-digit code or a name).
 */
import { describe, expect, it } from "vitest";
import { resolveMunicipality } from "./municipality.js";
import { municipalityIn, parseQuestion, principalIn, sinceIn } from "./question.js";

const now = new Date("2026-12-04T12:00:00Z");
const parse = (text: string) => parseQuestion(text, { now });

describe("parseQuestion", () => {
  it("tells the common questions apart, in English and Japanese", () => {
    const cases: [string, string, string | undefined][] = [
      ["what did alice do", "activity", "alice"],
      ["What did bert-jan do last week?", "activity", "bert-jan"],
      ["when is alice active", "active-hours", "alice"],
      ["what will alice do next", "next-actions", "alice"],
      ["predict the next calls of role:111122223333/deployer", "next-actions", "role:111122223333/deployer"],
      ["any anomalies for alice since 2024-04-01?", "anomalies", "alice"],
      ["alice は何をしましたか", "activity", "alice"],
      ["aliceはいつアクティブですか", "active-hours", "alice"],
      ["「bert-jan」は次に何をしますか", "next-actions", "bert-jan"],
      ["2018-11-28 以降の異常は", "anomalies", undefined],
      ["cat KPIs for municipality 131041", "cat-stats", undefined],
      ["131041 の猫の KPI は", "cat-stats", undefined],
      ["what data is loaded?", "data-status", undefined],
      ["データの状況は", "data-status", undefined],
      ["hello", "help", undefined],
    ];
    for (const [text, kind, principal] of cases) {
      const q = parse(text);
      expect([text, q.kind, q.principal]).toEqual([text, kind, principal]);
    }
  });

  it("answers in the question's language unless told", () => {
    expect(parse("what did alice do").lang).toBe("en");
    expect(parse("alice は何をしましたか").lang).toBe("ja");
    expect(parseQuestion("what did alice do", { now, lang: "ja" }).lang).toBe("ja");
  });
});

describe("the parts of a question", () => {
  it("finds the principal, skipping words that are not names", () => {
    expect(principalIn("what did the user do")).toBeUndefined();
    expect(principalIn('what did "Admin Role" do')).toBe("Admin Role");
    expect(principalIn("what did iam-user:123837392027/bert-jan do")).toBe("iam-user:123837392027/bert-jan");
    expect(principalIn("KPI と level1 の操作")).toBe("level1");
  });

  it("reads a start time as ISO, a date (midnight UTC, or JST in Japanese), or relative to now", () => {
    expect(sinceIn("since 2024-04-01T09:30:00Z", now, "en")).toBe("2024-04-01T09:30:00Z");
    expect(sinceIn("since 2024-04-01 09:30", now, "en")).toBe("2024-04-01T09:30Z");
    expect(sinceIn("since 2024-04-01", now, "en")).toBe("2024-04-01T00:00:00Z");
    expect(sinceIn("2024-04-01 以降", now, "ja")).toBe("2024-04-01T00:00:00+09:00");
    expect(sinceIn("anomalies from 3 days ago", now, "en")).toBe("2026-12-01T12:00:00.000Z");
    expect(sinceIn("2時間前からの異常", now, "ja")).toBe("2026-12-04T10:00:00.000Z");
    expect(sinceIn("since yesterday", now, "en")).toBe("2026-12-03T12:00:00.000Z");
    expect(sinceIn("anomalies", now, "en")).toBeUndefined();
  });

  it("finds a municipality code or name", () => {
    expect(municipalityIn("KPIs for 131041")).toBe("131041");
    expect(municipalityIn("横浜市の猫")).toBe("横浜市");
    expect(municipalityIn("cat KPIs for municipality Yokohama")).toBe("Yokohama");
    expect(municipalityIn("cat KPIs")).toBeUndefined();
  });

  it("resolves a municipality's name to its code from the built-in table", () => {
    expect(resolveMunicipality("横浜市")).toEqual({ code: "141003", name: "横浜市 (Yokohama)" });
    expect(resolveMunicipality("yokohama")?.code).toBe("141003");
    expect(resolveMunicipality("131041")?.code).toBe("131041");
    expect(resolveMunicipality("Atlantis")).toBeUndefined();
  });
});
