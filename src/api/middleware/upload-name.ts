import path from "node:path";
import { CatdataError } from "../../errors.js";

/**
 * The name an uploaded file is stored under, from whatever name the client sent: anything that
 * tries to leave the upload's folder (`../`, an absolute path, a drive letter, a backslash, a NUL
 * byte) is refused outright (400), and what is left is reduced to a safe basename: letters, digits,
 * space and `._()-`, other characters replaced by `_`, no leading dots, at most 200 characters.
 */
const HINT = "send just the file's own name, such as intakes-2024.csv";

export function safeUploadName(sent: string | undefined): string {
  if (sent === undefined || sent.trim() === "") {
    throw new CatdataError("BAD_INPUT", "the upload has no file name", {
      hint: "name the file: ?filename=intakes.csv for a raw body, or a filename in the multipart part",
    });
  }
  const refuse = (why: string) =>
    new CatdataError("BAD_INPUT", `invalid file name ${JSON.stringify(sent)}: ${why}`, { hint: HINT });
  if (sent.includes("\0")) throw refuse("it contains a NUL byte");
  if (sent.includes("\\")) throw refuse("it contains a backslash");
  if (sent.startsWith("/") || /^[A-Za-z]:/.test(sent)) throw refuse("it is an absolute path");
  if (sent.split("/").some((segment) => segment === "..")) throw refuse("it climbs out of its folder (..)");
  if (/\p{Cc}/u.test(sent)) throw refuse("it contains control characters");
  const base = path.posix
    .basename(sent)
    .normalize("NFC")
    .replace(/[^\p{L}\p{N} ._()-]/gu, "_")
    .replace(/^[.\s]+/, "")
    .trim()
    .slice(-200);
  if (base === "" || /^[._\s]*$/.test(base)) throw refuse("nothing usable is left of it");
  return base;
}
