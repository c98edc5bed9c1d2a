import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Supabase database webhook `invoices:UPDATE`: recorded and acknowledged until its handler lands. */
export const supabaseInvoicesUpdate = schemaTask({
  id: "supabase-invoices-update",
  schema: taskPayloads["supabase-invoices-update"],
  run: (payload) =>
    runTask(async (deps) => {
      const { acknowledgeSupabaseEvent } = await import("@paycron/inbox");
      return acknowledgeSupabaseEvent(deps, payload);
    }),
});
