import { isDomainError } from "@paycron/core";
import { HttpError } from "./http-error.ts";

/**
 * Runs the store step and decides what the sender hears when it fails. A payload Postgres
 * cannot hold (class 22 data exceptions, a NUL in jsonb) will fail again on every retry: 400.
 * Anything else means we could not store the event (database down, pool exhausted, failover):
 * 503, so the sender retries later. Never a 2xx for an event that is not stored.
 */
export async function storeEvent<T>(store: () => Promise<T>): Promise<T> {
  try {
    return await store();
  } catch (error) {
    if (isDomainError(error, "webhook_payload_unstorable")) {
      throw new HttpError(400, "invalid_payload", error.message);
    }
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === "string" && code.startsWith("22")) {
      throw new HttpError(400, "invalid_payload", "payload cannot be stored (rejected by the database as invalid data)");
    }
    throw new HttpError(503, "storage_unavailable", "the event could not be stored; retry later", { "retry-after": "5" }, { cause: error });
  }
}
