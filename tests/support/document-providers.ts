import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Clock, Logger } from "@paycron/core";
import { appLinks, createLocalOutboxTransport } from "@paycron/email/transport";
import type { ProviderFactories } from "@paycron/runtime";
import { generateSigningSecret, LocalStorage } from "@paycron/storage";

export const TEST_APP_URL = "https://app.example.test";

/**
 * The local document and email providers of a test's worker: files under a fresh temporary data
 * dir (storage/, emails/), links to a fixed app URL. The same implementations `pnpm dev` uses.
 */
export function testDocumentProviders(options: { clock: Clock; logger: Logger; dataDir?: string }) {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "paycron-docs-"));
  const storage = new LocalStorage({ dataDir, signingSecret: generateSigningSecret(), publicBaseUrl: "http://127.0.0.1:9", clock: options.clock });
  const email = createLocalOutboxTransport({ dir: join(dataDir, "emails"), from: "Paycron <billing@paycron.localhost>", clock: options.clock, logger: options.logger });
  const providers: Pick<ProviderFactories, "storage" | "email" | "links"> = { storage: () => storage, email: () => email, links: () => appLinks(TEST_APP_URL) };
  return { dataDir, storage, email, providers };
}
