import { z } from "zod";

/* Invoice and receipt PDFs, rendered and stored once per version of the invoice. */
export const documentTaskPayloads = {
  /** The invoice's PDF, when it is issued (and again, as a new object, when what it prints changes). */
  "documents-invoice-pdf": z.object({ invoiceId: z.uuid() }),
  /** The receipt of a paid invoice; then the customer's receipt email, which links it. */
  "documents-receipt-pdf": z.object({ invoiceId: z.uuid() }),
} as const;
