/**
 * Pins the HTML report: one self-contained page (no script, no external resource, a CSP that
 * forbids loading any), an SVG heatmap per principal, anomalies with their reasons, and every
 * text from the trail escaped — a principal or reason cannot inject markup.
 */
import { describe, expect, it } from "vitest";
import { sequence } from "../../testing/behaviour.js";
import { principalProfile } from "../model/principal-profile.js";
import { trainInMemory } from "../model/train-memory.js";
import { renderHtmlReport } from "./html-report.js";

const EVIL = "iam-user:1/<img src=x onerror=alert(1)>";

describe("HTML report", () => {
  it("is self-contained, charts with inline SVG and escapes trail text", () => {
    const model = trainInMemory(
      sequence(EVIL, ["s3.amazonaws.com:<b>List</b>", "s3.amazonaws.com:GetObject"], Date.UTC(2024, 0, 1)),
      {
        sessionGapMs: 1_800_000,
      },
    );
    const counts = model.principal(EVIL);
    if (!counts) throw new Error("no counts");
    const html = renderHtmlReport({
      generatedAt: "2024-01-02T00:00:00.000Z",
      principals: [principalProfile(EVIL, counts, { timeZone: "UTC", now: new Date(Date.UTC(2024, 0, 2)) })],
      anomalies: {
        since: null,
        scanned: 2,
        attackMapping: "built-in",
        anomalies: [
          {
            eventID: "e1",
            eventTime: "2024-01-01T00:00:00.000Z",
            principal: EVIL,
            eventKey: "cloudtrail.amazonaws.com:StopLogging",
            score: 7,
            session: 0,
            reasons: [{ kind: "sensitive-action", contribution: 7, detail: "<script>x</script>" }],
          },
        ],
        sessions: [],
      },
    });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("default-src 'none'");
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(3);
    expect(html).toContain("+7.00 sensitive-action");
    expect(html).not.toMatch(/<script|<img|<b>List|src=["']?http/);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });
});
