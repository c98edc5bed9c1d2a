import { Hono } from "hono";
import { methodNotAllowed } from "hono/method-not-allowed";
import { requestId } from "hono/request-id";
import { systemClock } from "@paycron/core";
import { dashboardRoutes } from "@paycron/dashboard";
import { createWebhookInbox } from "@paycron/inbox";
import { loadTaskCatalog } from "@paycron/runtime/catalog";
import type { AppEnv, WebhookAppDeps } from "./app-env.ts";
import { deliverLocally } from "./deliver-locally.ts";
import { answerFor } from "./error-status.ts";
import { errorResponse } from "./http-error.ts";
import { requestLog } from "./middleware/request-log.ts";
import { fileRoutes } from "./routes/files.ts";
import { healthRoutes } from "./routes/health.ts";
import { stripeRoutes } from "./routes/stripe.ts";
import { supabaseRoutes } from "./routes/supabase.ts";

/**
 * The webhook app, built from its dependencies so tests call `app.request()` without a port.
 * Only startWebhookServer listens. Every refusal is JSON `{"error":{"code","message"}}`.
 */
export function createApp(deps: WebhookAppDeps) {
  const clock = deps.clock ?? systemClock;
  const inbox = createWebhookInbox(deps.db, clock);
  const app = new Hono<AppEnv>();

  app.use(requestId());
  app.use(requestLog(deps.logger));
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        errorResponse(c, 405, "method_not_allowed", `${c.req.method} is not allowed here; use ${methods.join(", ")}`, {
          allow: methods.join(", "),
        }),
    }),
  );

  app.route("/", healthRoutes(deps));
  app.route("/webhooks/stripe", stripeRoutes({ ...deps, clock, inbox }));
  app.route("/webhooks/supabase", supabaseRoutes({ ...deps, inbox }));
  // Local signed URLs only: a deployed app, given no local storage, has no /files route at all.
  if (deps.localFiles) app.route("/files", fileRoutes(deps.localFiles));
  // The dashboard: always under pnpm dev; in a deployed app only with DASHBOARD_TOKEN, and behind it.
  if (deps.dashboard || deps.config.dashboardToken) {
    const catalog = deps.dashboard?.catalog ?? (() => loadTaskCatalog());
    // Test events only under pnpm dev: a deployed app's dashboard never feeds its own inbox.
    const deliverWebhook = deps.dashboard ? deliverLocally(app, deps.config, clock) : undefined;
    const documents = deps.dashboard?.documents;
    app.route("/dashboard", dashboardRoutes({ db: deps.db, clock, logger: deps.logger, token: deps.config.dashboardToken, catalog, deliverWebhook, ...(documents ? { documents } : {}) }));
  }

  app.notFound((c) => errorResponse(c, 404, "not_found", `no route for ${c.req.method} ${c.req.path}`));

  app.onError((error, c) => {
    const answer = answerFor(error);
    const logger = c.get("logger");
    if (answer.log === "stack") logger?.error({ err: error.message, stack: error.stack }, "unhandled error");
    else if (answer.log === "cause") logger?.error({ err: causeMessage(error) }, error.message);
    return errorResponse(c, answer.status, answer.code, answer.message, answer.headers);
  });

  return app;
}

export type WebhookApp = ReturnType<typeof createApp>;

function causeMessage(error: Error): string | undefined {
  return error.cause instanceof Error ? error.cause.message : undefined;
}
