import { sendEmail } from "@paycron/email";
import type { ParsedTaskPayload } from "@paycron/tasks";
import type { NotificationDeps } from "./deps.ts";
import type { Notice } from "./notice.ts";
import { notices, type NotificationTaskId } from "./notices/index.ts";

export type NotificationResult =
  | { outcome: "sent" | "already_sent"; template: string; idempotencyKey: string; deliveryId: string }
  | { outcome: "skipped"; reason: string };

/**
 * A notification task's body: read what the email is about, then send it once per occurrence
 * (sendEmail: a row per key in email_deliveries, the key also the provider's Idempotency-Key).
 * Runs outside any transaction, after the change that called for it committed.
 */
export async function sendNotification<Id extends NotificationTaskId>(deps: NotificationDeps, taskId: Id, payload: ParsedTaskPayload<Id>): Promise<NotificationResult> {
  const load = notices[taskId] as (deps: NotificationDeps, payload: ParsedTaskPayload<Id>) => Promise<Notice | { skip: string }>;
  const notice = await load(deps, payload);
  if ("skip" in notice) {
    deps.logger.info({ task: taskId, reason: notice.skip }, "email no longer applies; not sent");
    return { outcome: "skipped", reason: notice.skip };
  }
  const { delivery, outcome } = await sendEmail(
    { db: deps.db, clock: deps.clock, logger: deps.logger, transport: deps.email },
    { template: notice.template, props: notice.props as never, locale: notice.locale, timeZone: notice.timeZone, to: notice.to, idempotencyKey: notice.idempotencyKey },
  );
  return { outcome, template: notice.template, idempotencyKey: notice.idempotencyKey, deliveryId: delivery.id };
}
