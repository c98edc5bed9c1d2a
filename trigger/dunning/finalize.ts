import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** A past_due subscription with no live run: the ladder's next step or its final action, caught up. */
export const dunningFinalize = schemaTask({
  id: "dunning-finalize",
  schema: taskPayloads["dunning-finalize"],
  run: (payload) =>
    runTask(async (deps) => {
      const { finalizeDunning } = await import("@paycron/billing");
      return finalizeDunning(deps, payload);
    }),
});
