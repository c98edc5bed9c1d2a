export { createApp, type WebhookApp } from "./app.ts";
export type { WebhookAppDeps } from "./app-env.ts";
export { loadWebhookConfig, WebhookConfigError, type WebhookConfig } from "./config.ts";
export { startWebhookServer, type StartWebhookServerOptions, type WebhookServer } from "./server.ts";
