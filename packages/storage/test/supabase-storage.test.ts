import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TestClock } from "@paycron/core";
import { createSupabaseStorage, loadSupabaseStorageConfig, type Storage } from "@paycron/storage";
import { startSupabaseStorageStandIn, type SupabaseStorageStandIn } from "../../../tests/support/supabase-storage-stand-in.ts";

/*
 * The real supabase-js storage client against a loopback stand-in of the Storage HTTP API
 * (tests/support/supabase-storage-stand-in.ts), which answers and refuses as Supabase does.
 */
const REFERENCE_TIME = "2026-03-01T12:00:00.000Z";
const BUCKET = "paycron-documents";
const KEY = "invoices/org_1/INV-0001.pdf";
const PDF = Buffer.from("%PDF-1.7 invoice INV-0001\n%%EOF\n");
const pdf = { contentType: "application/pdf" };

let clock: TestClock;
let standIn: SupabaseStorageStandIn;
let storage: Storage;

async function start(buckets: Array<{ id: string; public?: boolean }>) {
  standIn = await startSupabaseStorageStandIn({ clock, buckets });
  return standIn;
}

const storageOn = (s: SupabaseStorageStandIn, options: { bucket?: string; key?: string; createBucketIfMissing?: boolean } = {}) =>
  createSupabaseStorage({
    url: s.url,
    serviceRoleKey: options.key ?? s.serviceRoleKey,
    bucket: options.bucket ?? BUCKET,
    clock,
    createBucketIfMissing: options.createBucketIfMissing,
  });

beforeEach(() => {
  clock = new TestClock(REFERENCE_TIME);
});
afterEach(() => standIn?.close());

describe("Supabase storage through supabase-js", () => {
  beforeEach(async () => {
    storage = storageOn(await start([{ id: BUCKET }]));
  });

  it("uploads with upsert off and the content type, and reads the object back", async () => {
    expect(await storage.put(KEY, PDF, pdf)).toEqual({ key: KEY, outcome: "created" });
    const stored = standIn.object(BUCKET, KEY)!;
    expect(stored.bytes).toEqual(PDF);
    expect(stored.contentType).toBe("application/pdf");
    expect(standIn.requests.filter((r) => r.method === "POST" && r.path === `/storage/v1/object/${BUCKET}/${KEY}`)).toEqual([
      { method: "POST", path: `/storage/v1/object/${BUCKET}/${KEY}`, upsert: "false" },
    ]);
    expect(await storage.get(KEY)).toEqual({ bytes: new Uint8Array(PDF), contentType: "application/pdf" });
    expect(await storage.exists(KEY)).toBe(true);
    expect(await storage.exists("invoices/org_1/INV-0002.pdf")).toBe(false);
    expect(await storage.get("invoices/org_1/INV-0002.pdf")).toBeNull();
  });

  it("reads the bucket once, before the first call", async () => {
    await storage.put(KEY, PDF, pdf);
    await storage.get(KEY);
    await storage.exists(KEY);
    expect(standIn.requests.filter((r) => r.path === `/storage/v1/bucket/${BUCKET}`)).toHaveLength(1);
  });

  it("a second put of the same bytes is unchanged: one object, never overwritten", async () => {
    await storage.put(KEY, PDF, pdf);
    const { id, updatedAt } = standIn.object(BUCKET, KEY)!;
    clock.advance(60_000);
    expect(await storage.put(KEY, Buffer.from(PDF), pdf)).toEqual({ key: KEY, outcome: "unchanged" });
    expect(standIn.keys(BUCKET)).toEqual([KEY]);
    expect(standIn.object(BUCKET, KEY)).toMatchObject({ id, updatedAt });
    expect(standIn.requests.some((r) => r.upsert === "true")).toBe(false);
  });

  it("refuses different bytes under an existing key, and replaces them only with upsert", async () => {
    await storage.put(KEY, PDF, pdf);
    const other = Buffer.from("%PDF-1.7 a different document\n");
    await expect(storage.put(KEY, other, pdf)).rejects.toMatchObject({ code: "storage_object_conflict", retryable: false });
    expect(standIn.object(BUCKET, KEY)!.bytes).toEqual(PDF);
    expect(await storage.put(KEY, other, { ...pdf, upsert: true })).toEqual({ key: KEY, outcome: "replaced" });
    expect(standIn.object(BUCKET, KEY)!.bytes).toEqual(other);
    expect(standIn.keys(BUCKET)).toEqual([KEY]);
  });

  it("hands out a signed URL that serves the object until it expires, for that path only", async () => {
    await storage.put(KEY, PDF, pdf);
    const signed = await storage.signedUrl(KEY, { expiresInSeconds: 120 });
    expect(signed.expiresAt).toEqual(new Date(Date.parse(REFERENCE_TIME) + 120_000));
    expect(signed.url).toMatch(new RegExp(`^${standIn.url}/storage/v1/object/sign/${BUCKET}/${KEY}\\?token=`));

    const res = await fetch(signed.url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PDF);

    await storage.put("invoices/org_1/INV-0002.pdf", Buffer.from("%PDF-1.7 another\n"), pdf);
    const otherPath = signed.url.replace("INV-0001.pdf", "INV-0002.pdf");
    expect(await refusal(await fetch(otherPath))).toEqual({ status: 400, code: "InvalidSignature" });

    clock.advance(120_000);
    expect(await refusal(await fetch(signed.url))).toEqual({ status: 400, code: "ExpiredToken" });
  });

  it("the bucket is private: its objects have no public URL", async () => {
    await storage.put(KEY, PDF, pdf);
    const res = await fetch(`${standIn.url}/storage/v1/object/public/${BUCKET}/${KEY}`);
    const body = (await res.json()) as { statusCode: string; message: string };
    expect(res.status).toBe(400);
    expect(body).toMatchObject({ statusCode: "404", message: "Bucket not found" });
  });

  it("refuses to sign a missing object", async () => {
    await expect(storage.signedUrl("invoices/org_1/none.pdf", { expiresInSeconds: 60 })).rejects.toMatchObject({ code: "storage_object_not_found" });
  });

  it("a wrong key is storage_unauthorized and names the variable, without echoing the key", async () => {
    const wrong = storageOn(standIn, { key: "anon-key-not-the-service-role-0123456789" });
    const error = await rejection(wrong.put(KEY, PDF, pdf));
    expect(error).toMatchObject({ code: "storage_unauthorized", retryable: false });
    expect(error.message).toContain("SUPABASE_SERVICE_ROLE_KEY");
    expect(error.message).not.toContain("anon-key-not-the-service-role");
    expect(standIn.keys(BUCKET)).toEqual([]);
  });
});

describe("Supabase storage refuses a bucket that is not private", () => {
  it("refuses a public bucket before writing anything", async () => {
    const s = await start([{ id: BUCKET, public: true }]);
    const error = await rejection(storageOn(s).put(KEY, PDF, pdf));
    expect(error).toMatchObject({ code: "storage_bucket_public", retryable: false });
    expect(error.message).toContain(`"${BUCKET}" is public`);
    await expect(storageOn(s).signedUrl(KEY, { expiresInSeconds: 60 })).rejects.toMatchObject({ code: "storage_bucket_public" });
    expect(s.keys(BUCKET)).toEqual([]);
    expect(s.requests.filter((r) => r.path.startsWith("/storage/v1/object/"))).toEqual([]);
  });

  it("refuses a missing bucket, or creates it private when asked to", async () => {
    const s = await start([]);
    await expect(storageOn(s).put(KEY, PDF, pdf)).rejects.toMatchObject({ code: "storage_bucket_missing", message: expect.stringContaining("SUPABASE_STORAGE_BUCKET") });
    expect(s.bucket(BUCKET)).toBeUndefined();
    expect(await storageOn(s, { createBucketIfMissing: true }).put(KEY, PDF, pdf)).toMatchObject({ outcome: "created" });
    expect(s.bucket(BUCKET)).toEqual({ public: false });
  });

  it("a Storage API that does not answer is retryable", async () => {
    const s = await start([{ id: BUCKET }]);
    const url = s.url;
    await s.close();
    const gone = createSupabaseStorage({ url, serviceRoleKey: s.serviceRoleKey, bucket: BUCKET, clock });
    await expect(gone.get(KEY)).rejects.toMatchObject({ code: "storage_unavailable", retryable: true });
  });
});

describe("Supabase storage configuration", () => {
  it("reads SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY and SUPABASE_STORAGE_BUCKET (default paycron-documents)", () => {
    const env = { SUPABASE_URL: "https://abc.supabase.co", SUPABASE_SERVICE_ROLE_KEY: "x".repeat(40), SUPABASE_STORAGE_BUCKET: "" };
    expect(loadSupabaseStorageConfig(env)).toEqual({ url: "https://abc.supabase.co", serviceRoleKey: "x".repeat(40), bucket: "paycron-documents" });
    expect(() => loadSupabaseStorageConfig({ SUPABASE_URL: "https://abc.supabase.co" })).toThrow(/SUPABASE_SERVICE_ROLE_KEY is required/);
    expect(() => loadSupabaseStorageConfig({ ...env, SUPABASE_STORAGE_BUCKET: "Invoices Bucket" })).toThrow(/SUPABASE_STORAGE_BUCKET/);
  });
});

/** The error a call was refused with; fails the test if it succeeded. */
async function rejection(call: Promise<unknown>): Promise<Error & { code: string }> {
  const outcome = await call.then(
    () => null,
    (e: unknown) => e as Error & { code: string },
  );
  if (!outcome) throw new Error("expected the call to be refused");
  return outcome;
}

async function refusal(res: Response) {
  const body = (await res.json()) as { code: string };
  return { status: res.status, code: body.code };
}
