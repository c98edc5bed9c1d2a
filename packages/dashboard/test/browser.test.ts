import { mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import chromium from "@sparticuz/chromium";
import { chromium as playwright, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { interrupt, paycron, root, startDev, tempDir, type Dev } from "../../../tests/dev/support.ts";

/*
 * The dashboard in a real Chromium against a real `pnpm dev` (its own embedded Postgres, local
 * engine, Stripe emulator): what a developer does with it, by clicking and typing. Screenshots of
 * the main pages go to a temporary folder, or to docs/images when UPDATE_SCREENSHOTS=1 (how the
 * README's are made), so that a test run leaves the tree clean.
 */
const dataDir = tempDir("paycron-dashboard-browser-");
const shots = process.env.UPDATE_SCREENSHOTS === "1" ? join(root, "docs/images") : join(dataDir, "screenshots");
const WAIT = { timeout: 60_000 };

let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await playwright.launch({ executablePath: await chromium.executablePath(), args: chromium.args, headless: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(shots, `dashboard-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  expect(statSync(path).size).toBeGreaterThan(5_000);
}

/** The run page's status badge, as the live refresh updates it. */
const runStatus = (page: Page) => page.locator("#run-live dl.facts dd .status").first();

describe("the dashboard in a browser, against pnpm dev", () => {
  it("is announced at start; triggers, watches, replays and cancels runs and re-processes a webhook event by clicking; shows billing; works from the keyboard and in a narrow dark window", async () => {
    const dev = await startDev({ dataDir });
    // One page throughout: @sparticuz/chromium runs single-process, and closing a context ends the browser.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "light" });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    try {
      await clickThrough(dev, page);
      await billingKeyboardAndNarrow(dev, page);
    } finally {
      await interrupt(dev);
    }
  }, 420_000);
});

describe("the dashboard behind DASHBOARD_TOKEN, in a browser", () => {
  it("asks for the token, refuses a wrong one next to the field, and with the right one keeps the browser signed in for pages and forms", async () => {
    const tokenDir = tempDir("paycron-dashboard-token-");
    const token = "browser-dashboard-token-0123456789";
    const dev = await startDev({ dataDir: tokenDir, env: { DASHBOARD_TOKEN: token } });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    try {
      const first = await page.goto(`${dev.url}/dashboard/tasks`);
      expect(first!.status()).toBe(401);
      await page.locator("#token").fill("not-the-token");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.locator("#token-error").waitFor(WAIT);
      expect(await page.locator("#token").getAttribute("aria-invalid")).toBe("true");
      await page.locator("#token").fill(token);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect.poll(() => page.locator("h1").textContent(), WAIT).toBe("Runs");
      // The cookie holds no token, and is for the dashboard only.
      const [cookie] = await context.cookies(`${dev.url}/dashboard/runs`);
      expect(cookie).toMatchObject({ name: "paycron_dashboard", path: "/dashboard", httpOnly: true, sameSite: "Strict" });
      expect(cookie!.value).not.toContain(token);
      // Signed in, a form post goes through: a delayed run, canceled.
      await page.goto(`${dev.url}/dashboard/tasks/stripe-customer-updated`);
      await page.locator("#payload").fill(JSON.stringify({ webhookEventId: "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f" }));
      await page.locator("#delay").fill("1h");
      await page.getByRole("button", { name: "Trigger" }).click();
      await runStatus(page).filter({ hasText: "delayed" }).waitFor(WAIT);
      await page.getByRole("button", { name: "Cancel" }).click();
      await page.getByText("Run canceled.").waitFor(WAIT);
    } finally {
      await interrupt(dev);
      rmSync(tokenDir, { recursive: true, force: true });
    }
  }, 180_000);
});

async function clickThrough(dev: Dev, page: Page): Promise<void> {
    expect(dev.output()).toContain(`Dashboard ${dev.url}/dashboard`);

    // A webhook event for the runs to point at: customer.updated has no handler, so its task settles it `unhandled`.
    const env = { PAYCRON_DATA_DIR: dataDir };
    // Billing for the billing pages: one sign-up that pays, one whose card is declined (pnpm dev charges both at once).
    for (const [email, card] of [["paid@example.test", "pm_card_visa"], ["declined@example.test", "pm_card_chargeCustomerFail"]]) {
      const subscribed = await paycron(["subscribe", "Pro (monthly)", "--email", email!, "--card", card!], { env });
      expect(subscribed.code, subscribed.stderr).toBe(0);
    }

    await page.goto(`${dev.url}/dashboard`);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Runs");
    // Left open, the newest runs follow what happens: the webhook's run shows up, then completes, with no reload.
    const sent = await paycron(["webhook", "send", "stripe", "customer.updated", "--event-id", "evt_dashboard_browser_1"], { env });
    expect(sent.code, sent.stderr).toBe(0);
    const webhookRun = page.locator("#runs-live tr", { hasText: "stripe-customer-updated" });
    await webhookRun.locator(".status", { hasText: "completed" }).waitFor(WAIT);

    // A test event from the dashboard itself: a sample, signed and posted to the app's own route.
    await page.getByRole("link", { name: "Webhook events" }).click();
    await page.getByRole("link", { name: "Send a test event →" }).click();
    await page.locator("select[name=type]").selectOption("payment_intent.succeeded");
    await page.getByRole("button", { name: "Load a sample" }).click();
    expect(await page.locator("#event-payload").inputValue()).toContain('"type": "payment_intent.succeeded"');
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByText("Test event delivered and stored.").waitFor(WAIT);
    await expect.poll(() => page.locator("#event-live table tbody tr").count(), WAIT).toBe(1);
    expect(await page.locator("h1").textContent()).toBe("stripe payment_intent.succeeded");

    // Webhook events: the event, then its page, live until its task settled it.
    await page.getByRole("link", { name: "Webhook events" }).click();
    await page.getByRole("link", { name: "evt_dashboard_browser_1" }).click();
    await page.locator("#event-live .status", { hasText: "unhandled" }).first().waitFor(WAIT);
    const eventId = (await page.locator("dl.facts dd.mono").first().textContent())!.trim();
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    await page.getByRole("button", { name: "Re-process" }).click();
    await page.getByText("Event re-opened").waitFor(WAIT);
    await expect.poll(() => page.locator("#event-live table tbody tr").count(), WAIT).toBe(2);
    await page.locator("#event-live dl .status", { hasText: "unhandled" }).waitFor(WAIT);
    await screenshot(page, "event");

    // Tasks, then one task's trigger form: a bad payload is refused next to the field.
    await page.getByRole("link", { name: "Tasks" }).click();
    await page.getByRole("link", { name: "stripe-customer-updated" }).first().waitFor(WAIT);
    await screenshot(page, "tasks");
    await page.getByRole("link", { name: "stripe-customer-updated" }).first().click();
    await page.locator("#payload").fill('{"webhookEventId": "not-a-uuid"}');
    await page.getByRole("button", { name: "Trigger" }).click();
    const error = page.locator("#payload-error");
    await error.waitFor(WAIT);
    expect(await error.textContent()).toMatch(/webhookEventId: .*UUID/i);
    expect(await page.locator("#payload").getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "trigger-error");

    // A good payload: the run appears and the page follows it to the end by itself.
    await page.locator("#payload").fill(JSON.stringify({ webhookEventId: eventId }));
    await page.getByRole("button", { name: "Trigger" }).click();
    await page.getByText("Run triggered.").waitFor(WAIT);
    await runStatus(page).filter({ hasText: "completed" }).waitFor(WAIT);

    // A payload naming no stored event: the task fails for good; replay it from its page.
    await page.goto(`${dev.url}/dashboard/tasks/stripe-customer-updated`);
    await page.locator("#payload").fill(JSON.stringify({ webhookEventId: "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f" }));
    await page.getByRole("button", { name: "Trigger" }).click();
    await runStatus(page).filter({ hasText: "failed" }).waitFor(WAIT);
    await page.getByRole("heading", { name: "Error" }).waitFor(WAIT);
    const failedUrl = page.url();
    await screenshot(page, "run-failed");
    await page.getByRole("button", { name: "Replay" }).click();
    await page.getByText("Replay enqueued").waitFor(WAIT);
    expect(page.url()).not.toBe(failedUrl);
    await page.locator("dt", { hasText: "replay of" }).waitFor(WAIT);
    await runStatus(page).filter({ hasText: "failed" }).waitFor(WAIT);
    await page.goto(failedUrl);
    await page.locator("dt", { hasText: "replayed by" }).waitFor(WAIT);

    // A delayed run: canceled before it starts.
    await page.goto(`${dev.url}/dashboard/tasks/stripe-customer-updated`);
    await page.locator("#payload").fill(JSON.stringify({ webhookEventId: eventId }));
    await page.locator("#delay").fill("1h");
    await page.getByRole("button", { name: "Trigger" }).click();
    await runStatus(page).filter({ hasText: "delayed" }).waitFor(WAIT);
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.getByText("Run canceled.").waitFor(WAIT);
    await runStatus(page).filter({ hasText: "canceled" }).waitFor(WAIT);
    expect(await page.getByRole("button", { name: "Cancel" }).count()).toBe(0);

    // The runs list, filtered by task, with all of the above.
    await page.goto(`${dev.url}/dashboard/runs?task=stripe-customer-updated`);
    for (const status of ["completed", "failed", "canceled"]) await page.locator("#runs-live .status", { hasText: status }).first().waitFor(WAIT);
    await screenshot(page, "runs");

  }

async function billingKeyboardAndNarrow(dev: Dev, page: Page): Promise<void> {
    // Both first charges ended: the paid one succeeded, the declined one failed (a reload a second until then).
    await page.goto(`${dev.url}/dashboard/billing`);
    await expect
      .poll(async () => {
        await page.reload();
        const statuses = await page.locator(".table[aria-label='Recent billing runs'] .status").allTextContents();
        return statuses.includes("succeeded") && statuses.includes("failed");
      }, { timeout: 60_000, interval: 1_000 })
      .toBe(true);
    await screenshot(page, "billing");
    // The declined customer, found by the search field, which "/" focuses.
    await page.keyboard.press("/");
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } } }).document.activeElement.getAttribute("name"))).toBe("customer");
    await page.keyboard.type("declined@");
    await page.keyboard.press("Enter");
    await page.getByRole("link", { name: "declined@example.test" }).first().click();
    await page.getByRole("heading", { name: "Subscriptions" }).waitFor(WAIT);
    await screenshot(page, "customer");
    // "g t": to the tasks page without the mouse.
    await page.locator("h1").click();
    await page.keyboard.press("g");
    await page.keyboard.press("t");
    await page.waitForURL(`${dev.url}/dashboard/tasks`, WAIT);
  expect(await page.locator("h1").textContent()).toBe("Tasks");
  
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: "dark" });
    const phone = page;
    await phone.goto(`${dev.url}/dashboard/runs`);
    await phone.locator("h1").waitFor(WAIT);
    // Nothing but the tables scrolls sideways: the page itself is no wider than the window.
    expect(await phone.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const background = await phone.evaluate(() => {
      const g = globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string }; document: { body: unknown } };
      return g.getComputedStyle(g.document.body).backgroundColor;
    });
    expect(background).toBe("rgb(15, 18, 22)");
    await screenshot(phone, "runs-narrow-dark");
  }
