import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Clock, Logger } from "@paycron/core";
import { fileDocumentProviders } from "@paycron/cli/local-providers";

export const TEST_APP_URL = "https://app.example.test";

/** A test worker's document and email providers: `pnpm dev`'s local ones, under a fresh temporary data dir. */
export function testDocumentProviders(options: { clock: Clock; logger: Logger }) {
  const dataDir = mkdtempSync(join(tmpdir(), "paycron-docs-"));
  return { dataDir, ...fileDocumentProviders({ ...options, dataDir, appUrl: TEST_APP_URL }) };
}
