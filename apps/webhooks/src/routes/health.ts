import { Hono } from "hono";
import { migrationsAreCurrent } from "@paycron/db";
import type { AppEnv, WebhookAppDeps } from "../app-env.ts";
import { errorResponse } from "../http-error.ts";

/** /healthz: the process answers (liveness). /readyz: it can store events (database reachable, schema current). */
export function healthRoutes(deps: WebhookAppDeps) {
  return new Hono<AppEnv>()
    .get("/healthz", (c) => c.json({ status: "ok" }))
    .get("/readyz", async (c) => {
      let current: boolean;
      try {
        // Reads the migrations table: an unreachable database throws here.
        current = await migrationsAreCurrent(deps.db);
      } catch (error) {
        c.get("logger").warn({ err: (error as Error).message }, "readiness: database unreachable");
        return errorResponse(c, 503, "database_unreachable", "the database does not answer");
      }
      if (!current) {
        return errorResponse(c, 503, "migrations_pending", "database migrations are not current: run `pnpm paycron migrate up`");
      }
      return c.json({ status: "ready" });
    });
}
