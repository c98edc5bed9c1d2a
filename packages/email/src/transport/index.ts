/*
 * The transports and the app links without the templates (`@paycron/email/transport`): what a
 * worker builds its email provider from, without loading React.
 */
export type { EmailTransport, OutgoingEmail, SendOptions } from "./transport.ts";
export { createResendTransport, type ResendTransportOptions } from "./resend-transport.ts";
export { createLocalOutboxTransport, type LocalOutboxOptions } from "./local-outbox-transport.ts";
export { createEmailTransport, type EmailTransportConfig } from "./create-email-transport.ts";
export { appLinks, appUrlSchema, type AppLinks } from "../app-links.ts";
