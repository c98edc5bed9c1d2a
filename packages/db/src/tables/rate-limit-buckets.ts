import type { Selectable } from "kysely";
import type { Timestamp } from "./columns.ts";

/** One shared rate bucket (packages/db/src/rate-limiter.ts): its theoretical arrival time. */
export interface RateLimitBucketsTable {
  name: string;
  /** When the bucket's debt is paid off: a reservation made then waits for nothing more than the burst allows. */
  tat: Timestamp;
}
export type RateLimitBucket = Selectable<RateLimitBucketsTable>;
