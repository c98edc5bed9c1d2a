import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Supabase database webhook `customers:INSERT`: recorded and acknowledged until its handler lands. */
export const supabaseCustomersInsert = schemaTask({
  id: "supabase-customers-insert",
  schema: taskPayloads["supabase-customers-insert"],
  run: (payload) =>
    runTask(async (deps) => {
      const { acknowledgeSupabaseEvent } = await import("@paycron/inbox");
      return acknowledgeSupabaseEvent(deps, payload);
    }),
});
