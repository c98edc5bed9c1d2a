import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Supabase database webhook `customers:INSERT`: a sign-up; its welcome email now and its follow-up in 24 hours. */
export const supabaseCustomersInsert = schemaTask({
  id: "supabase-customers-insert",
  schema: taskPayloads["supabase-customers-insert"],
  run: (payload) =>
    runTask(async (deps) => {
      const [{ processWebhookEvent }, { welcomeCustomer }] = await Promise.all([import("@paycron/inbox"), import("@paycron/billing")]);
      return processWebhookEvent(deps, payload, "supabase", (event) => welcomeCustomer(deps, { event }));
    }),
});
