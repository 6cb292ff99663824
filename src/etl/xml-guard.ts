import { badInput } from "../errors.js";
import { describeLimit, type IngestLimits, overBytes } from "./limits.js";

/** Stands for a cell text that went over the cell limit (a private-use character no sheet writes). */
export const CELL_OVER_LIMIT = "\uE000catdata:cell-over-limit\uE000";
/** Stands for the cells of a row that went over the record limit. */
export const ROW_OVER_LIMIT = "\uE000catdata:row-over-limit\uE000";

/**
 * Filters the XML of one workbook part (a sheet or the shared strings) on its way to ExcelJS's SAX
 * parser, so no text run, tag or row can grow past a limit in memory:
 * - a text run over the cell limit is replaced by `CELL_OVER_LIMIT` (its row then becomes a problem);
 * - the cells of a `<row>` past the record limit are dropped up to `</row>` and one `ROW_OVER_LIMIT`
 *   cell stands for them (the XML stays well-formed: dropping starts at a `<c>` boundary);
 * - a tag over the record limit, or a DOCTYPE (entity expansion), refuses the workbook;
 * - comments and CDATA sections are dropped (ExcelJS ignores them anyway).
 */
export class XmlGuard {
  private state: "text" | "tag" = "text";
  private run = "";
  private runOver = false;
  private tag = "";
  private quote = 0;
  private inRow = false;
  private rowChars = 0;
  private dropping = false;

  constructor(
    private readonly limits: IngestLimits,
    private readonly what: string,
  ) {}

  push(text: string): string {
    const out: string[] = [];
    let i = 0;
    const n = text.length;
    let nextDq = -2;
    let nextSq = -2;
    while (i < n) {
      if (this.state === "text") {
        const lt = text.indexOf("<", i);
        const stop = lt < 0 ? n : lt;
        if (!this.runOver && stop > i) {
          this.run = this.run.length === 0 ? text.slice(i, stop) : this.run + text.slice(i, stop);
          if (this.run.length * 3 > this.limits.maxCellBytes && overBytes(this.run, this.limits.maxCellBytes)) {
            this.runOver = true;
            this.run = "";
          }
        }
        if (lt < 0) break;
        this.emit(out, this.runOver ? CELL_OVER_LIMIT : this.run);
        this.run = "";
        this.runOver = false;
        this.state = "tag";
        this.tag = "";
        this.quote = 0;
        i = lt;
        continue;
      }
      // In a tag: up to its '>' outside quotes (comments and CDATA: up to a '>' that ends --> / ]]>).
      const special =
        this.tag.length > 1 ? this.tag.charCodeAt(1) === 33 : text.charCodeAt(i + (this.tag ? 0 : 1)) === 33;
      let j = i;
      let end = -1;
      for (;;) {
        if (this.quote !== 0) {
          const close = text.indexOf(this.quote === 34 ? '"' : "'", j);
          if (close < 0) break;
          this.quote = 0;
          j = close + 1;
          continue;
        }
        const gt = text.indexOf(">", j);
        if (special) {
          end = gt;
          break;
        }
        if (nextDq !== -1 && nextDq < j) nextDq = text.indexOf('"', j);
        if (nextSq !== -1 && nextSq < j) nextSq = text.indexOf("'", j);
        const q = nextDq < 0 ? nextSq : nextSq < 0 ? nextDq : Math.min(nextDq, nextSq);
        if (q < 0 || (gt >= 0 && gt < q)) {
          end = gt;
          break;
        }
        if (gt < 0 && q < 0) break;
        this.quote = text.charCodeAt(q);
        j = q + 1;
      }
      const part = text.slice(i, end < 0 ? n : end + 1);
      this.tag = this.tag.length === 0 ? part : this.tag + part;
      if (this.tag.length * 3 > this.limits.maxRecordBytes && overBytes(this.tag, this.limits.maxRecordBytes)) {
        throw badInput(
          `the workbook's ${this.what} has an XML tag longer than ${describeLimit(this.limits, "maxRecordBytes", "record")}`,
          "save the workbook again from Excel, or upload the sheet as CSV",
        );
      }
      if (end < 0) break;
      i = end + 1;
      const tag = this.tag;
      if (tag.startsWith("<!--") && !tag.endsWith("-->")) continue;
      if (tag.startsWith("<![CDATA[") && !tag.endsWith("]]>")) continue;
      this.state = "text";
      this.tag = "";
      this.onTag(out, tag);
    }
    return out.join("");
  }

  private onTag(out: string[], tag: string): void {
    const c1 = tag.charCodeAt(1);
    if (c1 === 33) {
      if (tag.startsWith("<!--") || tag.startsWith("<![CDATA[")) return;
      throw badInput(
        `the workbook's ${this.what} declares a DOCTYPE, which a workbook never has`,
        "save the workbook again from Excel",
      );
    }
    if (c1 === 114 && /^<row[\s>/]/.test(tag)) {
      if (!tag.endsWith("/>")) {
        this.inRow = true;
        this.rowChars = 0;
      }
    } else if (c1 === 47 && tag.startsWith("</row")) {
      if (this.dropping) out.push(`<c r="A1" t="inlineStr"><is><t>${ROW_OVER_LIMIT}</t></is></c>`);
      this.inRow = false;
      this.dropping = false;
    } else if (
      c1 === 99 &&
      this.inRow &&
      !this.dropping &&
      this.rowChars > this.limits.maxRecordBytes &&
      /^<c[\s>/]/.test(tag)
    ) {
      this.dropping = true;
    }
    this.emit(out, tag);
  }

  private emit(out: string[], s: string): void {
    if (s.length === 0) return;
    if (this.inRow) {
      if (this.dropping) return;
      this.rowChars += s.length;
    }
    out.push(s);
  }
}
