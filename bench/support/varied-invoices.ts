import type { InvoiceDocumentData } from "@paycron/pdf";
import { sampleInvoice } from "@paycron/pdf/testing";

/*
 * Invoices of one organization's billing run, each to a different customer: name, address, email,
 * number, seats and usage all change, so their text is shaped and their glyphs subset afresh
 * rather than found in @paycron/pdf's caches, as the sample repeated would be. Deterministic (the
 * i-th invoice is always the same); the amounts add up as the billing engine's do.
 */
const FIRST = ["Zoë", "Ana", "Björn", "Chloé", "Dmitri", "Eva", "François", "Grzegorz", "Hana", "Ingrid", "Jürgen", "Kasia", "Luís", "Maëlle", "Niamh", "Oskar"];
const LAST = ["Ødegård", "Núñez", "Łukasz", "Müller", "Dubois", "Kowalski", "O'Brien", "Søndergaard", "Fernández", "Janssen", "Nováková", "Rossi", "Virtanen"];
const STREETS = ["Baker Street", "Rue de Rivoli", "Karl Johans gate", "Via Roma", "Königsallee", "Calle Mayor", "Nowy Świat"];

export function variedInvoice(i: number): InvoiceDocumentData {
  const sample = sampleInvoice();
  const [seatsLine, usageLine, credit] = sample.lines as [InvoiceDocumentData["lines"][number], InvoiceDocumentData["lines"][number], InvoiceDocumentData["lines"][number]];
  const surname = LAST[(i * 7) % LAST.length]!;
  // First name, initial and surname cycle together only every 4,784 invoices (16 × 23 × 13).
  const name = `${FIRST[i % FIRST.length]} ${String.fromCharCode(65 + (i % 23))}. ${surname}`;
  const seats = 1 + (i % 9);
  const calls = 100 + ((i * 37) % 900);
  const lines = [
    { ...seatsLine, description: `Pro plan × ${seats} seats`, quantity: seats, amount: seats * seatsLine.unitAmount },
    { ...usageLine, description: `API calls: ${(1000 + calls).toLocaleString("en-US")} (1,000 included)`, quantity: calls, amount: calls * usageLine.unitAmount },
    credit,
  ];
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  const discount = Math.round(subtotal / 10);
  const tax = Math.round((subtotal - discount) / 4);
  const total = subtotal - discount + tax;
  return sampleInvoice({
    invoiceNumber: `FJORD-${String(1000 + i).padStart(6, "0")}`,
    billTo: {
      name,
      email: `customer${i}@example.test`,
      addressLines: [`${surname} Consulting`, `${10 + (i % 190)} ${STREETS[i % STREETS.length]}`, `${1000 + ((i * 131) % 9000)} City ${i % 50}`, "United Kingdom"],
    },
    lines,
    subtotal,
    discount,
    tax,
    total,
    amountPaid: total,
    amountDue: 0,
  });
}
