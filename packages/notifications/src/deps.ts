import type { Clock, Logger } from "@paycron/core";
import type { Db } from "@paycron/db";
import type { AppLinks, EmailTransport } from "@paycron/email";
import type { Storage } from "@paycron/storage";

export interface NotificationDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  email: EmailTransport;
  /** Where the receipt a receipt email links lies. */
  storage: Storage;
  links: AppLinks;
}
