import type { Clock, Logger } from "@paycron/core";
import type { Db } from "@paycron/db";
import type { DocumentSigner } from "@paycron/dashboard";
import type { TaskCatalog } from "@paycron/runtime/catalog";
import type { WebhookConfig } from "./config.ts";
import type { SignedFiles } from "./routes/files.ts";

export interface WebhookAppDeps {
  db: Db;
  config: WebhookConfig;
  logger: Logger;
  clock?: Clock;
  /** A local storage (`pnpm dev`) whose signed URLs the app serves under /files; unset in production. */
  localFiles?: SignedFiles;
  /**
   * Serve the dashboard at /dashboard even without DASHBOARD_TOKEN (`pnpm dev`); a deployed app
   * serves it only with config.dashboardToken. `catalog` defaults to the tasks of trigger/.
   */
  dashboard?: { catalog?: () => Promise<TaskCatalog>; documents?: DocumentSigner };
}

/** Facts a route adds to its request's single access-log line (event id and type, never payloads). */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    logFields: LogFields;
  };
}
