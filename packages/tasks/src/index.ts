import type { z } from "zod";
import { billingTaskPayloads } from "./billing.ts";
import { documentTaskPayloads } from "./documents.ts";
import { notificationTaskPayloads } from "./notifications.ts";
import { runtimeTaskPayloads } from "./runtime.ts";
import { stripeTaskPayloads } from "./stripe.ts";
import { supabaseTaskPayloads } from "./supabase.ts";

/*
 * The contract of every task: its id and its payload schema, apart from its run function so that
 * enqueuers (the webhook app, domain code) do not import Stripe, PDF or email code. The task
 * files under trigger/ use these schemas in schemaTask; a test checks both agree.
 *
 * Payloads evolve: runs enqueued by older code may still be in flight, so new fields are
 * optional or defaulted, and a renamed field means a new task id.
 */
export const taskPayloads = {
  ...runtimeTaskPayloads,
  ...billingTaskPayloads,
  ...stripeTaskPayloads,
  ...supabaseTaskPayloads,
  ...documentTaskPayloads,
  ...notificationTaskPayloads,
} as const satisfies Record<string, z.ZodType>;

export type TaskId = keyof typeof taskPayloads;
export type TaskPayload<Id extends TaskId> = z.input<(typeof taskPayloads)[Id]>;
export type ParsedTaskPayload<Id extends TaskId> = z.output<(typeof taskPayloads)[Id]>;

export function isTaskId(id: string): id is TaskId {
  return Object.hasOwn(taskPayloads, id);
}

export { webhookEventPayload } from "./webhook-event.ts";
