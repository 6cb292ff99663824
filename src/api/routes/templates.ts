import { Hono } from "hono";
import { z } from "zod";
import { RULES } from "../../auth/policy.js";
import { TEMPLATE_DATASETS } from "../../cats/template.js";
import {
  renderTemplateFile,
  TEMPLATE_CONTENT_TYPE,
  TEMPLATE_FORMATS,
  TEMPLATE_LANGS,
  templateFileName,
} from "../../cats/template-xlsx.js";
import type { ApiDeps, ApiEnv } from "../context.js";
import { authorize } from "../middleware/authorize.js";
import { defineRoute } from "../openapi/registry.js";

const templateParams = z.strictObject({
  dataset: z.enum(TEMPLATE_DATASETS).describe("the dataset whose upload template to download"),
});
const templateQuery = z.strictObject({
  lang: z.enum(TEMPLATE_LANGS).default("ja").describe("header and instructions language"),
  format: z
    .enum(TEMPLATE_FORMATS)
    .default("xlsx")
    .describe("csv: the header row (UTF-8 with BOM); xlsx: with instructions"),
});

export const templateSpecs = [
  defineRoute({
    method: "get",
    path: "/templates/:dataset",
    operationId: "getTemplate",
    summary: "Download a dataset's upload template (CSV header row, or .xlsx with an instructions sheet)",
    tag: "uploads",
    params: templateParams,
    query: templateQuery,
    responses: {
      200: {
        description: "the template file (Content-Disposition: attachment)",
        contentType: TEMPLATE_CONTENT_TYPE.xlsx,
        headers: { "Content-Disposition": "attachment; filename=catdata-<dataset>-<lang>.<format>" },
      },
    },
  }),
];

/**
 * `GET /templates/:dataset`: the upload template a municipality fills in. It holds no data, so every
 * signed-in user may download it (the reference rule, like GET /municipalities).
 */
export function templatesRoutes(deps: ApiDeps) {
  const now = deps.runtime.now ?? (() => new Date());
  return new Hono<ApiEnv>().get("/templates/:dataset", authorize(deps, RULES.reference), async (c) => {
    const { dataset } = templateParams.parse(c.req.param());
    const { lang, format } = templateQuery.parse(c.req.query());
    const body = await renderTemplateFile(dataset, lang, format, now);
    return c.body(new Uint8Array(body), 200, {
      "content-type": TEMPLATE_CONTENT_TYPE[format],
      "content-disposition": `attachment; filename="${templateFileName(dataset, lang, format)}"`,
      "cache-control": "no-store",
    });
  });
}
