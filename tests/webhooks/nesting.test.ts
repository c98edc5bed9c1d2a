import { describe, expect, it } from "vitest";
import { useTestDb } from "@paycron/db/testing";
import { canonicalJson } from "@paycron/inbox";
import { MAX_JSON_DEPTH } from "@paycron/webhooks";
import { countRows, deepStripeDelivery, deepSupabaseDelivery, nestedArrays, SUPABASE_SECRET, testApp } from "./helpers.ts";

const t = useTestDb();

const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe("the nesting bound", () => {
  it(`accepts a body exactly ${MAX_JSON_DEPTH} levels deep on both routes, and refuses one level more with 400 payload_too_deep`, async () => {
    const { app, clock } = testApp(t.db);
    // The deliveries nest levels + 2 deep (the envelope, then data or record).
    for (const deliver of [deepStripeDelivery, deepSupabaseDelivery]) {
      const within = deliver(MAX_JSON_DEPTH - 2, { clock });
      expect((await app.request(deliver === deepStripeDelivery ? "/webhooks/stripe" : "/webhooks/supabase", { method: "POST", ...within })).status).toBe(200);
      const beyond = deliver(MAX_JSON_DEPTH - 1, { clock });
      const res = await app.request(deliver === deepStripeDelivery ? "/webhooks/stripe" : "/webhooks/supabase", { method: "POST", ...beyond });
      expect(res.status).toBe(400);
      expect(await code(res)).toBe("payload_too_deep");
    }
    expect(await countRows(t.db, "webhook_events")).toBe(2);
  });

  it("counts only structure: brackets inside strings, escaped quotes included, do not nest", async () => {
    const { app } = testApp(t.db);
    const text = `${"[{".repeat(200)} \\" ${"[".repeat(200)}`;
    const body = JSON.stringify({ type: "INSERT", table: "notes", schema: "public", record: { id: 1, text } });
    const res = await app.request("/webhooks/supabase", { method: "POST", headers: { authorization: `Bearer ${SUPABASE_SECRET}` }, body });
    expect(res.status).toBe(200);
  });

  it("refuses a deep body before asking whether it is JSON: no parser or serialiser sees it", async () => {
    const { app } = testApp(t.db);
    const res = await app.request("/webhooks/supabase", { method: "POST", headers: { authorization: `Bearer ${SUPABASE_SECRET}` }, body: `${nestedArrays(100_000)}` });
    expect(res.status).toBe(400);
    expect(await code(res)).toBe("payload_too_deep");
  });
});

describe("canonicalJson (the Supabase dedupe key)", () => {
  it("serialises 100,000 levels without overflowing the stack", () => {
    let value: unknown = { z: 1, a: [true, null] };
    let expected = '{"a":[true,null],"z":1}';
    for (let i = 0; i < 100_000; i++) {
      value = i % 2 ? [value, "x"] : { b: value, a: i };
      expected = i % 2 ? `[${expected},"x"]` : `{"a":${i},"b":${expected}}`;
    }
    expect(canonicalJson(value)).toBe(expected);
  });

  it("is unchanged for shallow values: stored events keep their dedupe keys", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }, undefined], c: null, u: undefined }, s: "é\u0000\"" })).toBe(
      '{"a":{"c":null,"d":[1,{"x":1,"y":2},null]},"b":1,"s":"é\\u0000\\""}',
    );
  });
});
