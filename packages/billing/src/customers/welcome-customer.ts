import { z } from "zod";
import { withTransaction, type WebhookEvent } from "@paycron/db";
import { enqueueMany } from "@paycron/runtime";
import type { BillingDbDeps } from "../deps.ts";
import { BillingError } from "../errors.ts";

const FOLLOW_UP_AFTER_MS = 24 * 3_600_000;

const insertedCustomer = z.object({ record: z.object({ id: z.uuid() }) });

/**
 * Supabase `customers:INSERT`: a customer signed up. The welcome email now, and the follow-up 24
 * hours after the sign-up (the row's created_at, not the delivery's time, so a late or replayed
 * webhook does not push it back). Keyed by the customer: a redelivery enqueues nothing more.
 */
export async function welcomeCustomer(deps: BillingDbDeps, input: { event: Pick<WebhookEvent, "id" | "payload"> }): Promise<"processed" | { ignored: string }> {
  const parsed = insertedCustomer.safeParse(input.event.payload);
  if (!parsed.success) {
    throw new BillingError("webhook_event_malformed", `webhook event ${input.event.id} is not a customers INSERT with a record id`, { details: { issues: parsed.error.issues } });
  }
  const customerId = parsed.data.record.id;
  return withTransaction(deps.db, async (tx) => {
    const customer = await tx.selectFrom("customers").select(["id", "created_at"]).where("id", "=", customerId).executeTakeFirst();
    if (!customer) return { ignored: `no customer ${customerId} in the billing database` };
    await enqueueMany(tx, deps.clock, [
      { taskId: "notifications-welcome", payload: { customerId }, options: { idempotencyKey: `welcome:${customerId}` } },
      {
        taskId: "notifications-signup-follow-up",
        payload: { customerId },
        options: { idempotencyKey: `signup-follow-up:${customerId}`, delay: new Date(customer.created_at.getTime() + FOLLOW_UP_AFTER_MS) },
      },
    ]);
    return "processed" as const;
  });
}
