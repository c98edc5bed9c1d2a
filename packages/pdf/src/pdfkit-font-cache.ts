// @ts-expect-error pdfkit ships no types; only its prototype's `font` method is touched here.
import PDFDocument from "pdfkit";
import { cacheSubsetFile } from "./font-subset-cache.ts";

/*
 * react-pdf hands pdfkit a fontkit font object for every run of text it draws
 * (`ctx.font(font, size)`). pdfkit caches fonts by name strings only, so each call with an
 * object builds a new embedded font and compares it with the one it already has (serialising
 * both name tables) before reusing it: a third of an invoice's render time went there.
 *
 * This remembers, per document, which embedded font a font object became, and returns it
 * directly: what pdfkit's own comparison would have returned, so the bytes are the same (the
 * golden test checks). react-pdf pins pdfkit 0.20.1 exactly and so does this package, so both
 * resolve to the same module; test/pdfkit-font-cache.test.ts fails if they ever diverge, which
 * would only make the cache idle (slower, never wrong). Each embedded font's subset file is
 * cached across documents as well (font-subset-cache.ts).
 */

interface PdfDocument {
  _font: unknown;
  fontSize(size: number): PdfDocument;
}
type FontMethod = (this: PdfDocument, src: unknown, family?: unknown, size?: unknown) => PdfDocument;

const proto = (PDFDocument as { prototype: { font: FontMethod & { paycronCached?: true } } }).prototype;
const embedded = new WeakMap<PdfDocument, WeakMap<object, unknown>>();

export function installPdfkitFontCache(): void {
  if (proto.font.paycronCached) return;
  const original = proto.font;
  const cached: FontMethod & { paycronCached?: true } = function (this: PdfDocument, src, family, size) {
    // Only fontkit font objects: names (standard fonts, registered names) and buffers go as before.
    if (src === null || typeof src !== "object" || src instanceof Uint8Array) return original.call(this, src, family, size);
    let fonts = embedded.get(this);
    if (!fonts) embedded.set(this, (fonts = new WeakMap()));
    const known = fonts.get(src);
    if (known === undefined) {
      const result = original.call(this, src, family, size);
      fonts.set(src, this._font);
      const { subset } = this._font as { subset?: Parameters<typeof cacheSubsetFile>[0] };
      if (subset) cacheSubsetFile(subset);
      return result;
    }
    this._font = known;
    const fontSize = typeof family === "number" ? family : size;
    if (typeof fontSize === "number") this.fontSize(fontSize);
    return this;
  };
  cached.paycronCached = true;
  proto.font = cached;
}

/** Whether the cache is installed on the pdfkit module this file resolves. */
export const pdfkitFontCacheInstalled = () => proto.font.paycronCached === true;
