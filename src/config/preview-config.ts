import { z } from "zod";

/**
 * The bound on an API preview (`POST /uploads/:id/preview`, `GET /uploads/:id/suggestion`): both read
 * the whole stored upload through the upload readers, so the stored object may be at most this many
 * bytes (CATDATA_PREVIEW_MAX_BYTES); a larger upload is refused before a byte is read (413), naming
 * the setting. A part of the configuration that `config.ts` composes into its schema and exposes as
 * `config.preview`. Documented in `.env.example` and docs/api.md ("Previewing an upload").
 */
export interface PreviewConfig {
  maxBytes: number;
}

/**
 * Why 256 MiB: the largest real municipal export we know (Austin's intakes, ~170k rows) is ~30 MiB
 * and previews in seconds; 256 MiB is ~8× that, about a minute of one core — long for a request, so
 * a larger upload is loaded (and reviewed through its job) rather than previewed over HTTP.
 */
export const DEFAULT_PREVIEW_MAX_BYTES = 256 * 1024 ** 2;

export const previewConfigSchema = z.object({
  CATDATA_PREVIEW_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(2 ** 45)
    .default(DEFAULT_PREVIEW_MAX_BYTES),
});

export const toPreviewConfig = (e: z.infer<typeof previewConfigSchema>): PreviewConfig => ({
  maxBytes: e.CATDATA_PREVIEW_MAX_BYTES,
});
