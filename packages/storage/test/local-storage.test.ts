import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TestClock } from "@paycron/core";
import { generateSigningSecret, LocalStorage, MAX_SIGNED_URL_SECONDS } from "@paycron/storage";

/** 2026-03-01T12:00:00Z: signed URLs' expiries are exact seconds from here. */
const REFERENCE_TIME = "2026-03-01T12:00:00.000Z";
const KEY = "invoices/org_1/INV-0001.pdf";
const PDF = Buffer.from("%PDF-1.7 invoice INV-0001\n%%EOF\n");
const pdf = { contentType: "application/pdf" };

let dataDir: string;
let clock: TestClock;
let storage: LocalStorage;
const secret = generateSigningSecret();

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "paycron-storage-"));
  clock = new TestClock(REFERENCE_TIME);
  storage = new LocalStorage({ dataDir, signingSecret: secret, publicBaseUrl: "http://127.0.0.1:3000", clock });
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

/** Every file under the data dir, relative, so a test sees exactly what a put left behind. */
async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe("local storage: put", () => {
  it("writes the object at <dataDir>/storage/<key> and its content type beside, with no temp file left", async () => {
    expect(await storage.put(KEY, PDF, pdf)).toEqual({ key: KEY, outcome: "created" });
    expect(await readFile(join(dataDir, "storage", KEY))).toEqual(PDF);
    expect(await filesUnder(dataDir)).toEqual(["storage/.meta/invoices/org_1/INV-0001.pdf.json", "storage/invoices/org_1/INV-0001.pdf"]);
    expect(await storage.get(KEY)).toEqual({ bytes: new Uint8Array(PDF), contentType: "application/pdf" });
    expect(await storage.exists(KEY)).toBe(true);
    expect(await storage.exists("invoices/org_1/INV-0002.pdf")).toBe(false);
    expect(await storage.get("invoices/org_1/INV-0002.pdf")).toBeNull();
  });

  it("a second put of the same bytes is unchanged: one object, no temp file", async () => {
    await storage.put(KEY, PDF, pdf);
    expect(await storage.put(KEY, Buffer.from(PDF), pdf)).toEqual({ key: KEY, outcome: "unchanged" });
    expect(await filesUnder(join(dataDir, "storage"))).toEqual([".meta/invoices/org_1/INV-0001.pdf.json", "invoices/org_1/INV-0001.pdf"]);
  });

  it("refuses different bytes under an existing key, and replaces them only with upsert", async () => {
    await storage.put(KEY, PDF, pdf);
    const other = Buffer.from("%PDF-1.7 a different document\n");
    await expect(storage.put(KEY, other, pdf)).rejects.toMatchObject({ code: "storage_object_conflict", retryable: false });
    expect(await readFile(join(dataDir, "storage", KEY))).toEqual(PDF);
    expect(await storage.put(KEY, other, { contentType: "application/x-pdf", upsert: true })).toEqual({ key: KEY, outcome: "replaced" });
    expect(await storage.get(KEY)).toEqual({ bytes: new Uint8Array(other), contentType: "application/x-pdf" });
    expect(await filesUnder(join(dataDir, "storage"))).toHaveLength(2);
  });

  it("puts racing for one key with different bytes: exactly one wins, the other is a conflict", async () => {
    const bodies = Array.from({ length: 8 }, (_, i) => Buffer.from(`%PDF-1.7 version ${i}\n`));
    const results = await Promise.allSettled(bodies.map((b) => storage.put(KEY, b, pdf)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r.reason as { code: string }).code)).toEqual(Array(7).fill("storage_object_conflict"));
    const winner = bodies[results.findIndex((r) => r.status === "fulfilled")]!;
    expect(await readFile(join(dataDir, "storage", KEY))).toEqual(winner);
    expect(await filesUnder(join(dataDir, "storage"))).toHaveLength(2);
  });

  it("an object whose metadata was lost gets its content type from the extension, and the next put restores it", async () => {
    await storage.put(KEY, PDF, { contentType: "application/pdf; profile=a" });
    await rm(join(dataDir, "storage", ".meta"), { recursive: true });
    expect((await storage.get(KEY))?.contentType).toBe("application/pdf");
    expect((await storage.put(KEY, PDF, { contentType: "application/pdf; profile=a" })).outcome).toBe("unchanged");
    expect((await storage.get(KEY))?.contentType).toBe("application/pdf; profile=a");
  });

  it("refuses a missing content type and a short signing secret, precisely", async () => {
    await expect(storage.put(KEY, PDF, { contentType: "" })).rejects.toMatchObject({ code: "storage_invalid_argument" });
    expect(() => new LocalStorage({ dataDir, signingSecret: "too-short", publicBaseUrl: "http://x", clock })).toThrow(/at least 32 characters/);
  });
});

describe("local storage: signed URLs", () => {
  it("points at the webhook app's /files route with an expiry from the injected clock", async () => {
    await storage.put(KEY, PDF, pdf);
    const signed = await storage.signedUrl(KEY, { expiresInSeconds: 300 });
    const url = new URL(signed.url);
    const expires = Date.parse(REFERENCE_TIME) / 1000 + 300;
    expect(`${url.origin}${url.pathname}`).toBe(`http://127.0.0.1:3000/files/${KEY}`);
    expect(url.searchParams.get("expires")).toBe(String(expires));
    expect(url.searchParams.get("signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(signed.expiresAt).toEqual(new Date(expires * 1000));
    const query = { expires: url.searchParams.get("expires")!, signature: url.searchParams.get("signature")! };

    expect(storage.checkSignedUrl(KEY, query)).toEqual({ ok: true });
    clock.advance(299_999);
    expect(storage.checkSignedUrl(KEY, query)).toEqual({ ok: true });
    clock.advance(1);
    expect(storage.checkSignedUrl(KEY, query)).toEqual({ ok: false, reason: "url_expired" });
  });

  it("a signature holds for exactly its key, expiry and secret", async () => {
    await storage.put(KEY, PDF, pdf);
    const url = new URL((await storage.signedUrl(KEY, { expiresInSeconds: 60 })).url);
    const expires = url.searchParams.get("expires")!;
    const signature = url.searchParams.get("signature")!;
    const flipped = signature.slice(0, -1) + (signature.endsWith("0") ? "1" : "0");
    expect(storage.checkSignedUrl("invoices/org_1/INV-0002.pdf", { expires, signature }).ok).toBe(false);
    expect(storage.checkSignedUrl(KEY, { expires: String(Number(expires) + 3600), signature })).toEqual({ ok: false, reason: "signature_invalid" });
    expect(storage.checkSignedUrl(KEY, { expires, signature: flipped })).toEqual({ ok: false, reason: "signature_invalid" });
    expect(storage.checkSignedUrl(KEY, { expires, signature: signature.toUpperCase() })).toEqual({ ok: false, reason: "signature_invalid" });
    expect(storage.checkSignedUrl(KEY, { expires })).toEqual({ ok: false, reason: "signature_missing" });
    expect(storage.checkSignedUrl(KEY, { signature })).toEqual({ ok: false, reason: "signature_missing" });
    const otherSecret = new LocalStorage({ dataDir, signingSecret: generateSigningSecret(), publicBaseUrl: "http://x", clock });
    expect(otherSecret.checkSignedUrl(KEY, { expires, signature })).toEqual({ ok: false, reason: "signature_invalid" });
  });

  it("refuses to sign a missing object or an expiry out of range", async () => {
    await expect(storage.signedUrl(KEY, { expiresInSeconds: 60 })).rejects.toMatchObject({ code: "storage_object_not_found" });
    await storage.put(KEY, PDF, pdf);
    for (const expiresInSeconds of [0, -1, 1.5, MAX_SIGNED_URL_SECONDS + 1]) {
      await expect(storage.signedUrl(KEY, { expiresInSeconds })).rejects.toMatchObject({ code: "storage_invalid_argument" });
    }
  });

  it("takes its base URL late, from a function (a server listening on port 0)", async () => {
    let base = "";
    const late = new LocalStorage({ dataDir, signingSecret: secret, publicBaseUrl: () => base, clock });
    await late.put(KEY, PDF, pdf);
    base = "http://127.0.0.1:41234/";
    expect((await late.signedUrl(KEY, { expiresInSeconds: 60 })).url).toMatch(/^http:\/\/127\.0\.0\.1:41234\/files\/invoices\/org_1\/INV-0001\.pdf\?expires=\d+&signature=[0-9a-f]{64}$/);
  });
});

describe("local storage: files it did not write", () => {
  it("does not take a leftover temp file for an object", async () => {
    // What a crash in the middle of a write leaves: a dot-named temp file, never the object's name.
    await storage.put(KEY, PDF, pdf);
    await writeFile(join(dataDir, "storage", "invoices", "org_1", ".INV-0002.pdf.abcdef.tmp"), "%PDF-1.7 half");
    expect(await storage.exists("invoices/org_1/INV-0002.pdf")).toBe(false);
    expect(await storage.get("invoices/org_1/INV-0002.pdf")).toBeNull();
  });
});
