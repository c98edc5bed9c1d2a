import { z } from "zod";

/**
 * Every webhook task (Stripe and Supabase) receives the id of the stored webhook_events row,
 * never the event itself: the event is loaded from there.
 */
export const webhookEventPayload = z.object({ webhookEventId: z.uuid() });
