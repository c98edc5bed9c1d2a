import type { Migration } from "kysely/migration";
import * as m20261125T000000 from "./20261125T000000-billing-schema.ts";
import * as m20261125T010000 from "./20261125T010000-runtime.ts";
import * as m20261201T000000 from "./20261201T000000-webhook-events-unhandled.ts";
import * as m20261210T000000 from "./20261210T000000-outbox-replay-of.ts";
import * as m20261220T000000 from "./20261220T000000-billing-engine.ts";
import * as m20261221T000000 from "./20261221T000000-subscription-lookup-indexes.ts";
import * as m20261222T000000 from "./20261222T000000-rate-limit-buckets.ts";
import * as m20261223T000000 from "./20261223T000000-outbox-engine-batch.ts";
import * as m20261224T000000 from "./20261224T000000-document-details.ts";
import * as m20261230T000000 from "./20261230T000000-dashboard-indexes.ts";
import * as m20261230T010000 from "./20261230T010000-task-run-attempts.ts";

/*
 * Listed by hand, not read from the folder: Trigger.dev deploys are esbuild bundles, and a folder
 * scan breaks once the code is bundled. A test checks this list matches the folder.
 */
export const migrations: Record<string, Migration> = {
  "20261125T000000-billing-schema": m20261125T000000,
  "20261125T010000-runtime": m20261125T010000,
  "20261201T000000-webhook-events-unhandled": m20261201T000000,
  "20261210T000000-outbox-replay-of": m20261210T000000,
  "20261220T000000-billing-engine": m20261220T000000,
  "20261221T000000-subscription-lookup-indexes": m20261221T000000,
  "20261222T000000-rate-limit-buckets": m20261222T000000,
  "20261223T000000-outbox-engine-batch": m20261223T000000,
  "20261224T000000-document-details": m20261224T000000,
  "20261230T000000-dashboard-indexes": m20261230T000000,
  "20261230T010000-task-run-attempts": m20261230T010000,
};
