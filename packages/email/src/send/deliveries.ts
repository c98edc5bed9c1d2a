import type { Db, EmailDelivery } from "@paycron/db";

/** The `email_deliveries` statements sendEmail makes, each one on its own (never a transaction around a send). */

export function findDelivery(db: Db, idempotencyKey: string): Promise<EmailDelivery | undefined> {
  return db.selectFrom("email_deliveries").selectAll().where("idempotency_key", "=", idempotencyKey).executeTakeFirst();
}

/** The new pending row, or undefined when the key already has one (UNIQUE idempotency_key). */
export function insertPendingDelivery(
  db: Db,
  row: { template: string; recipient: string; subject: string; idempotency_key: string; html: string; text: string },
): Promise<EmailDelivery | undefined> {
  return db
    .insertInto("email_deliveries")
    .values({ ...row, status: "pending" })
    .onConflict((oc) => oc.column("idempotency_key").doNothing())
    .returningAll()
    .executeTakeFirst();
}

/**
 * pending → sent. A concurrent call for the same key may have marked it already (with the same
 * message id, as the provider deduplicated): then the row as it is now is the answer.
 */
export async function markDeliverySent(db: Db, id: string, providerMessageId: string, at: Date): Promise<EmailDelivery> {
  const updated = await db
    .updateTable("email_deliveries")
    .set({ status: "sent", provider_message_id: providerMessageId, sent_at: at, error: null })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .returningAll()
    .executeTakeFirst();
  return updated ?? (await db.selectFrom("email_deliveries").selectAll().where("id", "=", id).executeTakeFirstOrThrow());
}

/** pending → failed: the provider refused the email for good. */
export async function markDeliveryFailed(db: Db, id: string, error: string): Promise<void> {
  await db.updateTable("email_deliveries").set({ status: "failed", error }).where("id", "=", id).where("status", "=", "pending").execute();
}

/** A retryable failure, kept on the pending row so `paycron`/SQL shows why it has not gone yet. */
export async function noteDeliveryError(db: Db, id: string, error: string): Promise<void> {
  await db.updateTable("email_deliveries").set({ error }).where("id", "=", id).where("status", "=", "pending").execute();
}
