import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger, TestClock } from "@paycron/core";
import { createDb } from "@paycron/db";
import { generateSigningSecret, LocalStorage } from "@paycron/storage";
import { createApp, type WebhookApp } from "@paycron/webhooks";
import { capturingLogger, REFERENCE_TIME, testConfig } from "./helpers.ts";

/*
 * GET /files/<key>: the webhook app serving local storage's signed URLs, through app.request().
 * The route never touches the database, so the app gets a pool that is never connected.
 */
const db = createDb({ connectionString: "postgres://paycron@127.0.0.1:1/unused", max: 1, onError: () => {} });
afterAll(() => db.destroy());

const KEY = "invoices/org_1/INV-0001.pdf";
const OTHER_KEY = "invoices/org_1/INV-0002.pdf";
const PDF = Buffer.from("%PDF-1.7 invoice INV-0001\n%%EOF\n");

let dataDir: string;
let clock: TestClock;
let storage: LocalStorage;
let app: WebhookApp;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "paycron-files-"));
  clock = new TestClock(REFERENCE_TIME);
  storage = new LocalStorage({ dataDir, signingSecret: generateSigningSecret(), publicBaseUrl: "http://paycron.test", clock });
  app = createApp({ db, config: testConfig(), logger: silentLogger(), clock, localFiles: storage });
  await storage.put(KEY, PDF, { contentType: "application/pdf" });
  await storage.put(OTHER_KEY, Buffer.from("%PDF-1.7 another\n"), { contentType: "application/pdf" });
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

/** The path and query of a fresh signed URL for `key`, as app.request() takes it. */
async function signedPath(key: string, expiresInSeconds = 300) {
  const url = new URL((await storage.signedUrl(key, { expiresInSeconds })).url);
  return { path: url.pathname, expires: url.searchParams.get("expires")!, signature: url.searchParams.get("signature")!, full: url.pathname + url.search };
}

async function refusal(res: Response) {
  return { status: res.status, ...((await res.json()) as { error: { code: string } }).error };
}

describe("GET /files/<key> with a local storage", () => {
  it("serves the object for a valid signed URL, privately and inline", async () => {
    const res = await app.request((await signedPath(KEY)).full);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PDF);
    expect(Object.fromEntries(res.headers)).toMatchObject({
      "content-type": "application/pdf",
      "cache-control": "private, no-store",
      "content-disposition": 'inline; filename="INV-0001.pdf"',
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    });
  });

  it("refuses the URL once the clock passes its expiry", async () => {
    const { full } = await signedPath(KEY, 60);
    clock.advance(59_999);
    expect((await app.request(full)).status).toBe(200);
    clock.advance(1);
    expect(await refusal(await app.request(full))).toMatchObject({ status: 403, code: "url_expired", message: expect.stringContaining("expired") });
  });

  it("refuses a changed path, expiry or signature, and a missing one", async () => {
    const { expires, signature } = await signedPath(KEY);
    const flipped = signature.slice(0, -1) + (signature.endsWith("0") ? "1" : "0");
    const cases: Array<[string, string]> = [
      [`/files/${OTHER_KEY}?expires=${expires}&signature=${signature}`, "signature_invalid"],
      [`/files/${KEY}?expires=${Number(expires) + 86_400}&signature=${signature}`, "signature_invalid"],
      [`/files/${KEY}?expires=${expires}&signature=${flipped}`, "signature_invalid"],
      [`/files/${KEY}?expires=${expires}&signature=${signature}extra`, "signature_invalid"],
      [`/files/${KEY}?expires=${expires}`, "signature_missing"],
      [`/files/${KEY}?signature=${signature}`, "signature_missing"],
      [`/files/${KEY}`, "signature_missing"],
    ];
    for (const [path, code] of cases) {
      expect(await refusal(await app.request(path)), path).toMatchObject({ status: 403, code });
    }
  });

  it("answers a forged URL the same whether or not the object exists", async () => {
    const { expires, signature } = await signedPath(KEY);
    const forExisting = await app.request(`/files/${OTHER_KEY}?expires=${expires}&signature=${signature}`);
    const forMissing = await app.request(`/files/invoices/org_1/NOPE.pdf?expires=${expires}&signature=${signature}`);
    expect(forMissing.status).toBe(forExisting.status);
    expect(await forMissing.text()).toBe(await forExisting.text());
  });

  it("answers 404 for a validly signed URL whose object is gone", async () => {
    const { full } = await signedPath(KEY);
    await rm(join(storage.root, KEY));
    expect(await refusal(await app.request(full))).toMatchObject({ status: 404, code: "object_not_found" });
  });

  it("never writes the signature to the log", async () => {
    const { logger, raw } = capturingLogger();
    const logged = createApp({ db, config: testConfig(), logger, clock, localFiles: storage });
    const { full, signature } = await signedPath(KEY);
    expect((await logged.request(full)).status).toBe(200);
    clock.advance(3_600_000);
    expect((await logged.request(full)).status).toBe(403);
    expect(raw()).toContain(`/files/${KEY}`);
    expect(raw()).not.toContain(signature);
  });
});

describe("the webhook app without a local storage", () => {
  it("has no /files route at all", async () => {
    const { full } = await signedPath(KEY);
    const deployed = createApp({ db, config: testConfig(), logger: silentLogger(), clock });
    expect(await refusal(await deployed.request(full))).toMatchObject({ status: 404, code: "not_found" });
  });
});
