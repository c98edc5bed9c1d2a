import { renderPageAsImage } from "unpdf";

/**
 * A PDF page as a PNG, drawn by pdf.js (through unpdf) on @napi-rs/canvas: the same engine a
 * browser's viewer uses, with no browser. `scale` 2 gives 1190 × 1684 pixels for A4.
 */
export async function pdfPageToPng(pdf: Uint8Array, options: { page?: number; scale?: number } = {}): Promise<Buffer> {
  const png = await renderPageAsImage(new Uint8Array(pdf), options.page ?? 1, {
    canvasImport: () => import("@napi-rs/canvas"),
    scale: options.scale ?? 2,
  });
  return Buffer.from(png);
}
