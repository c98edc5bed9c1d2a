import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Supabase database webhook `subscriptions:UPDATE`: recorded and acknowledged until its handler lands. */
export const supabaseSubscriptionsUpdate = schemaTask({
  id: "supabase-subscriptions-update",
  schema: taskPayloads["supabase-subscriptions-update"],
  run: (payload) =>
    runTask(async (deps) => {
      const { acknowledgeSupabaseEvent } = await import("@paycron/inbox");
      return acknowledgeSupabaseEvent(deps, payload);
    }),
});
