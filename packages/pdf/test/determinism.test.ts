import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderInvoicePdf, renderReceiptPdf } from "../src/index.ts";
import { sampleEuroInvoice, sampleInvoice, sampleYenInvoice } from "../src/testing/index.ts";

/*
 * The golden invoice: the sample invoice's exact bytes, committed. A change to the layout, the
 * fonts or a dependency that moves one byte fails here; when the change is meant, regenerate it
 * and look at the new PNGs before committing both:
 *
 *   UPDATE_GOLDEN=1 pnpm exec vitest run packages/pdf/test/determinism.test.ts
 *   pnpm --filter @paycron/pdf render:png
 */
const GOLDEN = fileURLToPath(new URL("./golden/invoice.pdf", import.meta.url));

describe("same input, same bytes", () => {
  it("renders the sample invoice byte for byte as the committed golden file", async () => {
    const pdf = await renderInvoicePdf(sampleInvoice());
    if (process.env.UPDATE_GOLDEN === "1" || !existsSync(GOLDEN)) {
      expect(process.env.CI, "the golden file is missing: regenerate it with UPDATE_GOLDEN=1 and commit it").not.toBe("true");
      writeFileSync(GOLDEN, pdf);
    }
    expect(Buffer.compare(pdf, readFileSync(GOLDEN))).toBe(0);
  });

  it("renders the golden bytes again after other documents warmed the font, subset and shaping caches", async () => {
    for (const data of [sampleYenInvoice(), sampleEuroInvoice(), sampleInvoice({ billTo: { name: "Ana Núñez", email: "ana@example.test", addressLines: [] } })]) {
      await renderInvoicePdf(data);
      await renderReceiptPdf({ ...data, paidAt: data.paidAt ?? data.issuedAt });
    }
    const pdf = await renderInvoicePdf(sampleInvoice());
    expect(Buffer.compare(pdf, readFileSync(GOLDEN))).toBe(0);
  });

  it("renders an invoice and a receipt twice to identical bytes, with non-Latin text", async () => {
    const data = sampleYenInvoice();
    expect(Buffer.compare(await renderInvoicePdf(data), await renderInvoicePdf(data))).toBe(0);
    expect(Buffer.compare(await renderReceiptPdf(data), await renderReceiptPdf(data))).toBe(0);
  });

  it("takes its metadata dates from the data, not the clock or the machine's time zone", async () => {
    const data = sampleInvoice();
    const saved = process.env.TZ;
    try {
      process.env.TZ = "Pacific/Kiritimati"; // UTC+14: a zone leaking in would change a date
      const east = await renderInvoicePdf(data);
      process.env.TZ = "America/Los_Angeles";
      const west = await renderInvoicePdf(data);
      expect(Buffer.compare(east, west)).toBe(0);
      // pdfkit writes each entry of the info dictionary as an object of its own.
      const info = (key: string) => {
        const text = east.toString("latin1");
        const ref = new RegExp(`/${key} (\\d+) 0 R`).exec(text)?.[1];
        return new RegExp(`\\n${ref} 0 obj\\n(.*)\\nendobj`).exec(text)?.[1];
      };
      expect(info("CreationDate")).toBe("(D:20270301000500Z)"); // issuedAt
      expect(info("ModificationDate")).toBe("(D:20270301000612Z)"); // paidAt
      expect(info("Producer")).toBe("(Paycron)");
      expect(info("Creator")).toBe("(Paycron)");
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it("changes the document's ID with its content", async () => {
    const id = (pdf: Buffer) => /\/ID \[<([0-9a-f]+)>/.exec(pdf.toString("latin1"))?.[1];
    const a = id(await renderInvoicePdf(sampleInvoice()));
    const b = id(await renderInvoicePdf(sampleInvoice({ invoiceNumber: "FJORD-000099" })));
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(b).not.toBe(a);
  });
});
