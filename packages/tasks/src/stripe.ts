import { z } from "zod";

/** Every Stripe task receives the id of the stored webhook_events row, never the event itself. */
export const stripeEventPayload = z.object({ webhookEventId: z.uuid() });

export const stripeTaskPayloads = {} as const;
