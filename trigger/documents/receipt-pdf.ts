import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** A paid invoice's receipt, stored privately; then the customer's receipt email, which links it. */
export const documentsReceiptPdf = schemaTask({
  id: "documents-receipt-pdf",
  schema: taskPayloads["documents-receipt-pdf"],
  retry: { maxAttempts: 5, factor: 2, minTimeoutInMs: 2_000, maxTimeoutInMs: 60_000, randomize: true },
  maxDuration: 120,
  run: (payload) =>
    runTask(async (deps) => {
      const { storeReceipt } = await import("@paycron/documents");
      return storeReceipt(deps, payload);
    }),
});
