export { createApp, type WebhookApp } from "./app.ts";
export type { WebhookAppDeps } from "./app-env.ts";
export { MAX_JSON_DEPTH } from "./json-depth.ts";
export { loadWebhookConfig, WebhookConfigError, type WebhookConfig } from "./config.ts";
export { startWebhookServer, type StartWebhookServerOptions, type WebhookServer } from "./server.ts";
export { buildSampleSupabasePayload, SUPABASE_SAMPLE_EVENTS } from "@paycron/inbox";
export { loadWebhookServiceConfig, startWebhookService, type WebhookService, type WebhookServiceConfig } from "./service.ts";
