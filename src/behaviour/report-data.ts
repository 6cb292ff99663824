import { type AnomalyQuery, listAnomalies } from "./anomalies.js";
import { type BehaviourContext, getPrincipalProfile } from "./behaviour-service.js";
import type { ReportData } from "./html-report.js";
import { listPrincipalSummaries } from "./principal-profile.js";
import { ensureBehaviourModel } from "./train.js";

/** Gathers what the HTML report shows: the busiest principals' profiles and the ranked anomalies. */
export async function gatherReportData(
  ctx: BehaviourContext,
  options: {
    since?: string;
    timeZone?: string;
    principals?: number;
    limit?: number;
    onProgress?: AnomalyQuery["onProgress"];
  },
): Promise<ReportData> {
  const { model } = await ensureBehaviourModel(ctx.home);
  const busiest = listPrincipalSummaries(model).slice(0, options.principals ?? 12);
  const principals = [];
  for (const p of busiest) {
    principals.push(
      await getPrincipalProfile(ctx, p.principal, {
        ...(options.timeZone ? { timeZone: options.timeZone } : {}),
        top: 10,
      }),
    );
  }
  const anomalies = await listAnomalies(ctx, {
    ...(options.since ? { since: options.since } : {}),
    limit: options.limit ?? 50,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const now = (ctx.now ?? (() => new Date()))();
  return { generatedAt: now.toISOString(), principals, anomalies };
}
