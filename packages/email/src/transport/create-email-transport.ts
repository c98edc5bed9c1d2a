import { join } from "node:path";
import type { Clock, Logger } from "@paycron/core";
import { createLocalOutboxTransport } from "./local-outbox-transport.ts";
import { createResendTransport } from "./resend-transport.ts";
import type { EmailTransport } from "./transport.ts";

export interface EmailTransportConfig {
  /** RESEND_API_KEY. Set: emails go through Resend. Unset or empty: the local outbox. */
  resendApiKey?: string | undefined;
  /** RESEND_BASE_URL: another address for Resend's API (a stand-in); Resend's own when unset. */
  resendBaseUrl?: string | undefined;
  /** EMAIL_FROM: the sender; with Resend, on a domain verified there. */
  from: string;
  /** PAYCRON_DATA_DIR: the local outbox writes under `<dataDir>/emails`. */
  dataDir: string;
  clock: Clock;
  logger: Logger;
}

/** Resend when a key is configured, the local outbox otherwise; the choice is logged, never the key. */
export function createEmailTransport(config: EmailTransportConfig): EmailTransport {
  if (config.resendApiKey) {
    config.logger.info({ transport: "resend", custom_base_url: Boolean(config.resendBaseUrl) }, "emails go through Resend");
    return createResendTransport({ apiKey: config.resendApiKey, from: config.from, baseUrl: config.resendBaseUrl });
  }
  const dir = join(config.dataDir, "emails");
  config.logger.info({ transport: "local-outbox", dir }, "RESEND_API_KEY is not set: emails are written to the local outbox");
  return createLocalOutboxTransport({ dir, from: config.from, clock: config.clock, logger: config.logger });
}
