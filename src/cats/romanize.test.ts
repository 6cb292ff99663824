/**
 * Pins the romanisation rule of English names (src/cats/romanize.ts) against official English names
 * of Japanese local governments, and counts how many of the built-in table's names it reproduces.
 */
import { describe, expect, it } from "vitest";
import { builtInEnglishNames, getMunicipality } from "./municipalities.js";
import { bareReading, englishName, romanizeKana } from "./romanize.js";

// [name, reading, kind, official English name] — official names as the governments write them.
const OFFICIAL: readonly [string, string, "prefecture" | "municipality" | "ward", string][] = [
  ["札幌市", "さっぽろし", "municipality", "Sapporo"],
  ["仙台市", "せんだいし", "municipality", "Sendai"],
  ["八王子市", "はちおうじし", "municipality", "Hachioji"],
  ["豊中市", "とよなかし", "municipality", "Toyonaka"],
  ["北九州市", "きたきゅうしゅうし", "municipality", "Kitakyushu"],
  ["世田谷区", "せたがやく", "municipality", "Setagaya"],
  ["新宿区", "しんじゅくく", "municipality", "Shinjuku"],
  ["当別町", "とうべつちょう", "municipality", "Tobetsu"],
  ["船橋市", "ふなばしし", "municipality", "Funabashi"],
  ["大分市", "おおいたし", "municipality", "Oita"],
  ["稚内市", "わっかないし", "municipality", "Wakkanai"],
  ["別府市", "べっぷし", "municipality", "Beppu"],
  ["市川市", "いちかわし", "municipality", "Ichikawa"],
  ["東京都", "とうきょうと", "prefecture", "Tokyo"],
  ["大阪府", "おおさかふ", "prefecture", "Osaka"],
  ["京都府", "きょうとふ", "prefecture", "Kyoto"],
  ["北海道", "ほっかいどう", "prefecture", "Hokkaido"],
  ["兵庫県", "ひょうごけん", "prefecture", "Hyogo"],
  ["高知県", "こうちけん", "prefecture", "Kochi"],
  ["群馬県", "ぐんまけん", "prefecture", "Gunma"],
  ["中央区", "ちゅうおうく", "ward", "Chuo"],
];

describe("English names from readings", () => {
  it.each(OFFICIAL)("%s (%s) → %s", (name, reading, kind, official) => {
    expect(englishName(name, reading, kind)).toBe(official);
  });

  it("applies Hepburn with long vowels shortened", () => {
    expect(romanizeKana("とうきょう")).toBe("tokyo");
    expect(romanizeKana("おおさか")).toBe("osaka");
    expect(romanizeKana("きゅうしゅう")).toBe("kyushu");
    expect(romanizeKana("まっちゃ")).toBe("matcha");
    expect(romanizeKana("めいじ")).toBe("meiji");
    expect(romanizeKana("ちぢみ")).toBe("chijimi");
    expect(romanizeKana("トウキョウ")).toBe("tokyo");
  });

  it("drops only the reading of the kind suffix", () => {
    expect(bareReading("村田町", "むらたまち", "municipality")).toBe("むらた");
    expect(bareReading("川内村", "かわうちむら", "municipality")).toBe("かわうち");
    expect(bareReading("読谷村", "よみたんそん", "municipality")).toBe("よみたん");
    expect(bareReading("北海道", "ほっかいどう", "prefecture")).toBe("ほっかいどう");
    // A reading that does not end as the suffix says is kept whole.
    expect(bareReading("ある市", "あるまち", "municipality")).toBe("あるまち");
  });

  it("reproduces the built-in table's English names (28 entries)", () => {
    const builtIns = builtInEnglishNames();
    expect(builtIns).toHaveLength(28);
    const reproduced = builtIns.filter(({ code, nameJa, nameEn }) => {
      const kana = getMunicipality(code)?.nameKana ?? "";
      return englishName(nameJa, kana, "municipality") === nameEn;
    });
    // Every one agrees today; the built-in names stay as the override where a future one does not.
    expect(reproduced.map((m) => m.code)).toEqual(builtIns.map((m) => m.code));
  });
});
