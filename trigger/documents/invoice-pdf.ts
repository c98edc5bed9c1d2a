import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** An issued invoice's PDF, stored privately and recorded on the invoice; a retry writes nothing new. */
export const documentsInvoicePdf = schemaTask({
  id: "documents-invoice-pdf",
  schema: taskPayloads["documents-invoice-pdf"],
  retry: { maxAttempts: 5, factor: 2, minTimeoutInMs: 2_000, maxTimeoutInMs: 60_000, randomize: true },
  maxDuration: 120,
  run: (payload) =>
    runTask(async (deps) => {
      const { storeInvoiceDocument } = await import("@paycron/documents");
      return storeInvoiceDocument(deps, { invoiceId: payload.invoiceId, kind: "invoice" });
    }),
});
