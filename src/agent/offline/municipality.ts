import { builtInEnglishNames, listMunicipalities } from "../../cats/municipalities.js";

/**
 * A municipality as a question names it — a code (131041, us-tx-austin) or a name (横浜市, Yokohama)
 * — resolved to its code from the built-in table, so query_cat_stats gets what its schema takes.
 * Pure (the table is data).
 */
export interface NamedMunicipality {
  code: string;
  name: string;
}

const CODE = /^(?:\d{6}|[a-z]{2}-[a-z0-9-]+)$/;

export function resolveMunicipality(text: string | undefined): NamedMunicipality | undefined {
  if (!text) return undefined;
  const all = listMunicipalities();
  if (CODE.test(text)) {
    const found = all.find((m) => m.code === text);
    return { code: text, name: found ? `${found.nameJa} (${found.nameEn})` : text };
  }
  const lower = text.toLowerCase();
  const bare = (name: string) => name.toLowerCase().replace(/[-\s](shi|ku|machi|cho|mura|son)$/, "");
  // The curated table first (横浜市 is Yokohama City, not Yokohama-machi in Aomori), then the full list.
  for (const list of [builtInEnglishNames(), all.filter((m) => m.kind !== "prefecture")]) {
    const found =
      list.find((m) => m.nameJa === text) ??
      list.find((m) => m.nameEn.toLowerCase() === lower) ??
      list.find((m) => bare(m.nameEn) === lower);
    if (found) return { code: found.code, name: `${found.nameJa} (${found.nameEn})` };
  }
  return undefined;
}
