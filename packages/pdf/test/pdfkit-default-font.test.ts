// @ts-expect-error pdfkit ships no types
import PDFDocument from "pdfkit";
import { describe, expect, it } from "vitest";
import { shareDefaultFontMetrics } from "../src/pdfkit-default-font.ts";

/** A pdfkit document drawing with its default font (Helvetica), with a fixed date so its bytes repeat. */
function helloInHelvetica(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ info: { CreationDate: new Date(Date.UTC(2027, 0, 1)) } });
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.text("Hello, Helvetica");
    doc.end();
  });
}

describe("pdfkit's default font, shared between documents", () => {
  it("draws the same bytes as pdfkit's own, in the first document and in the later ones", async () => {
    const own = await helloInHelvetica();
    shareDefaultFontMetrics();
    const first = await helloInHelvetica();
    const later = await helloInHelvetica();
    expect(own.toString("latin1")).toContain("/BaseFont /Helvetica");
    expect(Buffer.compare(first, own)).toBe(0);
    expect(Buffer.compare(later, own)).toBe(0);
  });
});
