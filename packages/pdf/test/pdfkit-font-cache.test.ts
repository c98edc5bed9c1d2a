import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { renderInvoicePdf } from "../src/index.ts";
import { sampleInvoice } from "../src/testing/index.ts";

const require = createRequire(import.meta.url);

describe("pdfkit font cache", () => {
  it("patches the pdfkit that react-pdf renders with", async () => {
    const ours = require.resolve("pdfkit");
    const reactPdf = createRequire(require.resolve("@react-pdf/renderer")).resolve("pdfkit");
    expect(reactPdf).toBe(ours);
    await renderInvoicePdf(sampleInvoice());
    const { pdfkitFontCacheInstalled } = await import("../src/pdfkit-font-cache.ts");
    expect(pdfkitFontCacheInstalled()).toBe(true);
  });
});
