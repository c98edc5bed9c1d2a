import { describe, expect, it } from "vitest";
import { TestClock } from "@paycron/core";
import { assertObjectKey, generateSigningSecret, isStorageError, LocalStorage } from "@paycron/storage";

describe("storage keys", () => {
  it.each(["invoices/org_1/INV-2026-0001.pdf", "receipts/4f1c2a9e-0b7d-4c1e-9d2a-1f0e3b5c7a90/R_12.pdf", "a"])("accepts %s", (key) => {
    expect(assertObjectKey(key)).toBe(key);
  });

  it.each([
    ["", "it is empty"],
    ["/invoices/a.pdf", "starts with '/'"],
    ["invoices/", "ends with '/'"],
    ["invoices//a.pdf", "empty segment"],
    ["invoices/../secrets.pdf", "'..' segment"],
    ["../a.pdf", "'..' segment"],
    ["invoices/./a.pdf", "'.' segment"],
    ["invoices/.meta/a.pdf", "starts with '.' (reserved)"],
    ["invoices/a b.pdf", "character other than"],
    ["invoices\\a.pdf", "character other than"],
    ["invoices/a%2Fb.pdf", "character other than"],
    ["invoices/a\nb.pdf", "character other than"],
    ["x".repeat(513), "longer than 512"],
  ])("refuses %j: %s", (key, problem) => {
    let thrown: unknown;
    try {
      assertObjectKey(key);
    } catch (error) {
      thrown = error;
    }
    expect(isStorageError(thrown, "storage_invalid_key")).toBe(true);
    expect((thrown as Error).message).toContain(problem);
  });

  it("is checked by every call before any file is touched", async () => {
    const storage = new LocalStorage({ dataDir: "/nonexistent-paycron-dir", signingSecret: generateSigningSecret(), publicBaseUrl: "http://x", clock: new TestClock(0) });
    const bad = "../escape.pdf";
    await expect(storage.put(bad, new Uint8Array([1]), { contentType: "application/pdf" })).rejects.toMatchObject({ code: "storage_invalid_key" });
    await expect(storage.get(bad)).rejects.toMatchObject({ code: "storage_invalid_key" });
    await expect(storage.exists(bad)).rejects.toMatchObject({ code: "storage_invalid_key" });
    await expect(storage.signedUrl(bad, { expiresInSeconds: 60 })).rejects.toMatchObject({ code: "storage_invalid_key" });
  });
});
