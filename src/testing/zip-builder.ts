import { crc32, createDeflateRaw } from "node:zlib";

/**
 * Builds a zip archive (deflated entries) from streamed content, for tests of hostile workbooks: an
 * entry's content may be far larger than memory would like (a 400 MB cell), as it is generated in
 * pieces and only its compressed bytes are kept.
 */
export interface ZipEntrySpec {
  name: string;
  content: Iterable<Buffer | string>;
}

export async function buildZip(entries: ZipEntrySpec[]): Promise<Buffer> {
  const out: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const deflate = createDeflateRaw({ level: 1 });
    const compressed: Buffer[] = [];
    deflate.on("data", (c: Buffer) => compressed.push(c));
    const done = new Promise((resolve) => deflate.on("end", resolve));
    let crc = 0;
    let size = 0;
    for (const part of entry.content) {
      const buf = typeof part === "string" ? Buffer.from(part) : part;
      crc = crc32(buf, crc);
      size += buf.length;
      if (!deflate.write(buf)) await new Promise((r) => deflate.once("drain", r));
    }
    deflate.end();
    await done;
    const data = Buffer.concat(compressed);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(crc >>> 0, 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(size >>> 0, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    out.push(local, name, data);
    central.push(dir, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...out, cd, end]);
}

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** The parts of a one-sheet workbook around the given sheet XML (and shared strings, if any). */
export function workbookEntries(
  sheet: Iterable<Buffer | string>,
  sharedStrings?: Iterable<Buffer | string>,
): ZipEntrySpec[] {
  const entries: ZipEntrySpec[] = [
    {
      name: "[Content_Types].xml",
      content: [
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
      ],
    },
    {
      name: "xl/workbook.xml",
      content: [
        `<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="cats" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ],
    },
    {
      name: "xl/_rels/workbook.xml.rels",
      content: [
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      ],
    },
  ];
  if (sharedStrings) entries.push({ name: "xl/sharedStrings.xml", content: sharedStrings });
  entries.push({ name: "xl/worksheets/sheet1.xml", content: sheet });
  return entries;
}

/** `count` pieces of `piece` (a Buffer reused, so nothing large is held). */
export function* repeat(piece: string, count: number): Generator<Buffer> {
  const buf = Buffer.from(piece);
  for (let i = 0; i < count; i++) yield buf;
}
