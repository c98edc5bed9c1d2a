// @ts-expect-error pdfkit ships no types; only its prototype's `initFonts` is touched here.
import PDFDocument from "pdfkit";

/*
 * Every pdfkit document starts by selecting Helvetica (`initFonts`), and pdfkit builds Helvetica's
 * metrics afresh for it: a table of every glyph's width and a few thousand kerning pairs, about a
 * twentieth of an invoice's render, for a font react-pdf never draws with here (every style names
 * Noto Sans). The metrics are only ever read, so the first document's are shared with the next
 * ones; each document still gets its own font object, with the id (F1) and state pdfkit would
 * have given it, so the bytes are the same (the golden test checks) and Helvetica still works.
 */

interface StandardFont {
  document: unknown;
  id: string;
  dictionary?: unknown;
  embedded?: boolean;
}
interface PdfDocument {
  _font: StandardFont | null;
  _fontCount: number;
  _fontSource: unknown;
  _fontFamily: unknown;
  _fontFamilies: Record<string, unknown>;
}
type InitFonts = (this: PdfDocument, defaultFont?: unknown, family?: unknown, size?: number) => void;

const proto = (PDFDocument as { prototype: { initFonts: InitFonts & { paycronShared?: true } } }).prototype;
const HELVETICA = "Helvetica";

export function shareDefaultFontMetrics(): void {
  if (proto.initFonts.paycronShared) return;
  const original = proto.initFonts;
  let first: StandardFont | null = null;
  const shared: InitFonts & { paycronShared?: true } = function (this: PdfDocument, defaultFont = HELVETICA, family = null, size = 12) {
    if (defaultFont !== HELVETICA || family !== null || first === null) {
      original.call(this, defaultFont, family, size);
      if (defaultFont === HELVETICA && family === null) first = this._font;
      return;
    }
    original.call(this, null, family, size);
    // What `this.font("Helvetica")` does in a new document, with the metrics of the first one.
    const font: StandardFont = Object.assign(Object.create(Object.getPrototypeOf(first) as object) as StandardFont, first, {
      document: this,
      id: `F${++this._fontCount}`,
    });
    delete font.dictionary;
    delete font.embedded;
    this._fontSource = HELVETICA;
    this._fontFamily = family;
    this._font = font;
    this._fontFamilies[HELVETICA] = font;
  };
  shared.paycronShared = true;
  proto.initFonts = shared;
}
