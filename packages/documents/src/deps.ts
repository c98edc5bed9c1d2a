import type { Clock, Logger } from "@paycron/core";
import type { Db } from "@paycron/db";
import type { Storage } from "@paycron/storage";

export interface DocumentDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  storage: Storage;
}
