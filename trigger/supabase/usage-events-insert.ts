import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Supabase database webhook `usage_events:INSERT`: recorded and acknowledged until its handler lands. */
export const supabaseUsageEventsInsert = schemaTask({
  id: "supabase-usage-events-insert",
  schema: taskPayloads["supabase-usage-events-insert"],
  run: (payload) =>
    runTask(async (deps) => {
      const { acknowledgeSupabaseEvent } = await import("@paycron/inbox");
      return acknowledgeSupabaseEvent(deps, payload);
    }),
});
