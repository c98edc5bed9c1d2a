export { createApp, type WebhookApp } from "./app.ts";
export type { WebhookAppDeps } from "./app-env.ts";
export { MAX_JSON_DEPTH } from "./json-depth.ts";
export { loadWebhookConfig, WebhookConfigError, type WebhookConfig } from "./config.ts";
export { startWebhookServer, type StartWebhookServerOptions, type WebhookServer } from "./server.ts";
export {
  startLocalSupabaseWebhooks,
  type LocalSupabaseWebhooks,
  type LocalSupabaseWebhooksOptions,
} from "./local-supabase/relay.ts";
export { installLocalSupabaseTriggers } from "./local-supabase/install-triggers.ts";
export { buildSampleSupabasePayload, SUPABASE_SAMPLE_EVENTS } from "@paycron/inbox";
export { loadWebhookServiceConfig, startWebhookService, type WebhookService, type WebhookServiceConfig } from "./service.ts";
