import { isDomainError } from "@paycron/core";
import { HttpError } from "./http-error.ts";
import { storageFailure } from "./storage-errors.ts";

/**
 * Runs the store step and decides what the sender hears when it fails (the rule: error-status.ts).
 * A payload the database will never hold gets a 400. Only a database that is really unavailable
 * gets a 503, so the sender retries later. Anything else is rethrown unchanged: a fault of ours,
 * answered 500 and logged with its stack. Never a 2xx for an event that is not stored.
 */
export async function storeEvent<T>(store: () => Promise<T>): Promise<T> {
  try {
    return await store();
  } catch (error) {
    switch (storageFailure(error)) {
      case "payload":
        throw new HttpError(400, "invalid_payload", payloadRefusal(error));
      case "unavailable":
        throw new HttpError(503, "storage_unavailable", "the event could not be stored; retry later", { "retry-after": "5" }, { cause: error });
      case "ours":
        throw error;
    }
  }
}

function payloadRefusal(error: unknown): string {
  // Our own refusals are written for the sender; a database's message may quote the payload.
  return isDomainError(error) ? error.message : "payload cannot be stored (rejected by the database as invalid data)";
}
