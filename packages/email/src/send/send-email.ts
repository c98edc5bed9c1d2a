import type { Clock, Logger } from "@paycron/core";
import { assertNotInTransaction, type Db, type EmailDelivery } from "@paycron/db";
import { EmailError } from "../errors.ts";
import type { TemplateName, TemplateProps } from "../registry.ts";
import { renderEmail } from "../render-email.tsx";
import type { EmailTransport } from "../transport/transport.ts";
import { findDelivery, insertPendingDelivery, markDeliveryFailed, markDeliverySent, noteDeliveryError } from "./deliveries.ts";

export interface SendEmailDeps {
  db: Db;
  clock: Clock;
  transport: EmailTransport;
  logger: Logger;
}

export interface SendEmailInput<N extends TemplateName> {
  template: N;
  props: TemplateProps<N>;
  /** The recipient's locale (a customer's `locale`): French for "fr-…", English otherwise. */
  locale: string;
  /** The zone dates are shown in (the organization's `timezone`); UTC by default. */
  timeZone?: string;
  to: string;
  /** One business occurrence (emailKey). */
  idempotencyKey: string;
}

export interface SendEmailResult {
  delivery: EmailDelivery;
  /** `already_sent`: an earlier call sent this occurrence; this one sent nothing. */
  outcome: "sent" | "already_sent";
}

/**
 * Sends one business occurrence of an email at most once, however often it is called:
 *
 * 1. A `pending` row is inserted under the key (UNIQUE). A `sent` row means done: nothing is sent.
 *    A `failed` row means the provider refused it for good: nothing is sent, and the call fails.
 * 2. The provider is called with the same key as its Idempotency-Key, and with the subject and
 *    bodies stored in the row, not re-rendered: a retry after a deploy sends the exact bytes first
 *    sent, which the provider needs to recognise the repeat (a changed body under a key is a 409).
 * 3. The row becomes `sent` with the provider's message id.
 *
 * A crash between 2 and 3 leaves the row `pending`; the retry calls the provider again with the
 * same key and the provider answers with the first message id instead of sending: one email.
 * Concurrent calls for one key both reach step 2 and are deduplicated the same way. Nothing here
 * runs inside a transaction: a provider call cannot be rolled back and must not hold row locks.
 */
export async function sendEmail<N extends TemplateName>(deps: SendEmailDeps, input: SendEmailInput<N>): Promise<SendEmailResult> {
  assertNotInTransaction(deps.db, "sendEmail");
  const log = deps.logger.child({ template: input.template, idempotencyKey: input.idempotencyKey, transport: deps.transport.kind });

  let delivery = await findDelivery(deps.db, input.idempotencyKey);
  if (!delivery) {
    const rendered = await renderEmail(input.template, input.props, { locale: input.locale, timeZone: input.timeZone });
    const row = { template: input.template, recipient: input.to, idempotency_key: input.idempotencyKey, ...rendered };
    // A concurrent call may insert first: then its row is this occurrence's row.
    delivery = (await insertPendingDelivery(deps.db, row)) ?? (await findDelivery(deps.db, input.idempotencyKey));
    if (!delivery) throw new Error(`email delivery ${input.idempotencyKey} vanished after its insert conflicted`);
  }
  if (delivery.status === "sent") {
    log.info({ deliveryId: delivery.id }, "email already sent for this key; not sending again");
    return { delivery, outcome: "already_sent" };
  }
  if (delivery.status === "failed") {
    throw new EmailError("email_delivery_failed", `email delivery ${delivery.id} failed earlier and is not sent again: ${delivery.error ?? "no reason recorded"}`, {
      details: { deliveryId: delivery.id },
    });
  }

  let providerMessageId: string;
  try {
    ({ providerMessageId } = await deps.transport.send(
      { to: delivery.recipient, subject: delivery.subject, html: delivery.html ?? "", text: delivery.text ?? "", template: delivery.template },
      { idempotencyKey: delivery.idempotency_key },
    ));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof EmailError && !error.retryable) {
      await markDeliveryFailed(deps.db, delivery.id, reason);
      log.warn({ deliveryId: delivery.id, code: error.code, details: error.options.details }, "email refused by the provider; delivery failed, not retried");
    } else {
      // Still pending: the task's retry sends again under the same key.
      await noteDeliveryError(deps.db, delivery.id, reason);
      log.warn({ deliveryId: delivery.id, err: reason }, "email not accepted yet; will be retried with the same key");
    }
    throw error;
  }

  const sent = await markDeliverySent(deps.db, delivery.id, providerMessageId, deps.clock.now());
  log.info({ deliveryId: sent.id, providerMessageId }, "email sent");
  return { delivery: sent, outcome: "sent" };
}
