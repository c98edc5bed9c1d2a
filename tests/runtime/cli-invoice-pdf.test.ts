import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { silentLogger, systemClock } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { generateSigningSecret, LocalStorage } from "@paycron/storage";
import { createApp, loadWebhookConfig } from "@paycron/webhooks";
import { issuedInvoice, pay } from "../../packages/documents/test/fixtures.ts";
import { paycron } from "../support/paycron-cli.ts";

const t = useTestDb();

describe("pnpm paycron invoice pdf", () => {
  it("prints a signed link the webhook app serves (rendering the PDF first when its task has not run), and says what is wrong otherwise", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "paycron-cli-pdf-"));
    const env = { PAYCRON_DATA_DIR: dataDir, STORAGE_SIGNING_SECRET: generateSigningSecret(), PORT: "3999" };
    const open = await issuedInvoice(t.db);
    const paid = await issuedInvoice(t.db);
    await pay(t.db, paid.id);

    const printed = await paycron(t.url, ["invoice", "pdf", paid.number!, "--receipt", "--expires", "600"], env);
    expect(printed.code).toBe(0);
    const url = new URL(printed.stdout.trim());
    expect(url.origin).toBe("http://127.0.0.1:3999");
    expect(url.pathname).toMatch(new RegExp(`^/files/invoices/${paid.organization_id}/${paid.id}/receipt-[0-9a-f]{16}\\.pdf$`));
    expect(printed.stderr).toMatch(/^expires \S+ \(rendered now: its task had not run yet\)/);

    // The link is the one pnpm dev's app (same data dir and key) serves; changed, it is refused.
    const storage = new LocalStorage({ dataDir, signingSecret: env.STORAGE_SIGNING_SECRET, publicBaseUrl: "http://127.0.0.1:3999", clock: systemClock });
    const app = createApp({ db: t.db, config: loadWebhookConfig({ STRIPE_WEBHOOK_SECRETS: "whsec_test", SUPABASE_WEBHOOK_SECRET: "x".repeat(32) }), logger: silentLogger(), localFiles: storage });
    const served = await app.request(`${url.pathname}${url.search}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("application/pdf");
    expect((await app.request(`${url.pathname.replace("receipt-", "invoice-")}${url.search}`)).status).toBe(403);

    const unpaid = await paycron(t.url, ["invoice", "pdf", open.number!, "--receipt"], env);
    expect(unpaid.code).toBe(1);
    expect(unpaid.stderr).toContain(`invoice ${open.number} is open: a receipt exists once it is paid`);
    const unknown = await paycron(t.url, ["invoice", "pdf", "NOPE-000001"], env);
    expect(unknown.stderr).toContain("no invoice has the number NOPE-000001");
    const badExpiry = await paycron(t.url, ["invoice", "pdf", open.number!, "--expires", "forever"], env);
    expect(badExpiry.stderr).toContain("--expires must be a whole number of seconds");
  }, 180_000);
});
