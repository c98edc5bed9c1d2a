import { inflateSync } from "node:zlib";
import { getDocumentProxy } from "unpdf";

/**
 * The text of every page as pdf.js reads it from the PDF (its ToUnicode maps), one text item
 * after another, a newline where pdf.js sees a line end. `disableNormalization` keeps the
 * characters the PDF names: otherwise pdf.js applies NFKC, and ja-JP's full-width "￥" would read
 * as "¥". pdf.js reports every space glyph as U+0020 whatever its Unicode value, so a narrow
 * no-break space is checked in the PDF's ToUnicode maps instead (toUnicodeMaps below).
 */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  const document = await getDocumentProxy(new Uint8Array(pdf));
  const pages: string[] = [];
  for (let n = 1; n <= document.numPages; n++) {
    const page = await document.getPage(n);
    const content = await page.getTextContent({ disableNormalization: true });
    pages.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : "")).join(""));
  }
  return pages.join("\n");
}

/** Spaces as pdf.js extracts them: every white-space character becomes U+0020. */
export const asExtracted = (s: string) => s.replace(/\s/gu, " ");

/** The ToUnicode CMaps of the PDF's embedded fonts (pdfkit deflates every stream). */
export function toUnicodeMaps(pdf: Buffer): string[] {
  const maps: string[] = [];
  for (const match of pdf.toString("latin1").matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let text: string;
    try {
      text = inflateSync(Buffer.from(match[1]!, "latin1")).toString("latin1");
    } catch {
      continue; // a font file or an image, not deflated text
    }
    if (text.includes("/CMapName /Adobe-Identity-UCS")) maps.push(text);
  }
  return maps;
}

export async function pdfPageCount(pdf: Uint8Array): Promise<number> {
  return (await getDocumentProxy(new Uint8Array(pdf))).numPages;
}
