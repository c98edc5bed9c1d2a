import { schemaTask } from "@trigger.dev/sdk";
import { acknowledgeSupabaseEvent } from "@paycron/inbox";
import { getTaskDeps } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Supabase database webhook `customers:INSERT`: recorded and acknowledged until its handler lands. */
export const supabaseCustomersInsert = schemaTask({
  id: "supabase-customers-insert",
  schema: taskPayloads["supabase-customers-insert"],
  run: (payload) => acknowledgeSupabaseEvent(getTaskDeps(), payload),
});
