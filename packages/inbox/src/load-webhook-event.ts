import type { Db, WebhookEvent, WebhookProvider } from "@paycron/db";
import { InboxError } from "./errors.ts";

/** The stored event a task was started for. Tasks get only the row id; the payload is read here. */
export async function loadWebhookEvent(db: Db, id: string, provider?: WebhookProvider): Promise<WebhookEvent> {
  const event = await db.selectFrom("webhook_events").selectAll().where("id", "=", id).executeTakeFirst();
  if (!event) throw new InboxError("webhook_event_not_found", `webhook event ${id} does not exist`);
  if (provider && event.provider !== provider) {
    throw new InboxError("webhook_event_provider_mismatch", `webhook event ${id} is from ${event.provider}, not ${provider}`);
  }
  return event;
}
