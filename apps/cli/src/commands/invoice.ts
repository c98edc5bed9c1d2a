import { resolve } from "node:path";
import type { Command } from "commander";
import { createLogger, logOutputFromEnv, systemClock } from "@paycron/core";
import { DOCUMENT_LINK_SECONDS, invoiceDocumentLink } from "@paycron/documents";
import { MAX_SIGNED_URL_SECONDS } from "@paycron/storage";
import { openDatabase } from "../database.ts";
import { devSecrets } from "../dev-secrets.ts";
import { readDevState } from "../dev-state.ts";
import { readCliEnv } from "../env.ts";
import { documentStorage } from "../local-providers.ts";

const HELP = `
Documents are private: this prints a signed URL that works until it expires (an hour by default)
and never again. Locally it is served by the running \`pnpm dev\` at /files; with SUPABASE_URL set
it is a Supabase Storage signed URL. A document whose task has not run yet is rendered now.

Examples:
  pnpm paycron invoice pdf INV-000001
  pnpm paycron invoice pdf INV-000001 --receipt --expires 600
`;

export function registerInvoice(program: Command): void {
  const invoice = program.command("invoice").description("an invoice's documents");
  invoice
    .command("pdf")
    .description("print a short-lived signed URL to an invoice's PDF (or its receipt)")
    .argument("<number>", "the invoice number as printed, e.g. INV-000001")
    .option("--receipt", "the receipt of the paid invoice instead of the invoice")
    .option("--org <id>", "the organization, when several have an invoice with this number")
    .option("--expires <seconds>", `how long the URL works, 1 to ${MAX_SIGNED_URL_SECONDS}`, String(DOCUMENT_LINK_SECONDS))
    .addHelpText("after", HELP)
    .action(async (number: string, options: { receipt?: boolean; org?: string; expires: string }) => {
      const expiresInSeconds = Number(options.expires);
      if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_SIGNED_URL_SECONDS) {
        throw new Error(`--expires must be a whole number of seconds from 1 to ${MAX_SIGNED_URL_SECONDS}, not ${JSON.stringify(options.expires)}`);
      }
      const env = readCliEnv();
      const logger = createLogger({ name: "paycron-cli", level: env.LOG_LEVEL, destination: process.stderr, ...logOutputFromEnv(process.env, process.stderr) });
      const dataDir = resolve(env.PAYCRON_DATA_DIR);
      const dev = readDevState(dataDir);
      const baseUrl = dev?.webhookUrl ?? `http://127.0.0.1:${env.PORT}`;
      const storage = documentStorage(env, {
        dataDir,
        signingSecret: env.STORAGE_SIGNING_SECRET ?? devSecrets(dataDir).storageSigningSecret,
        publicBaseUrl: () => baseUrl,
        logger,
      });
      const database = await openDatabase(env);
      try {
        const link = await invoiceDocumentLink(
          { db: database.db, clock: systemClock, logger, storage },
          { number, kind: options.receipt ? "receipt" : "invoice", expiresInSeconds, ...(options.org ? { organizationId: options.org } : {}) },
        );
        console.log(link.url);
        console.error(`expires ${link.expiresAt.toISOString()}${link.rendered ? " (rendered now: its task had not run yet)" : ""}`);
        if (!env.SUPABASE_URL && !dev?.webhookUrl) console.error(`served by pnpm dev at ${baseUrl}: start it to open the link`);
      } finally {
        await database.close();
      }
    });
}
