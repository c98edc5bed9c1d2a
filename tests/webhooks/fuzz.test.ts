import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { silentLogger, systemClock } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { buildSampleSupabasePayload, supabaseWebhookPayload } from "@paycron/inbox";
import { signStripePayload } from "@paycron/stripe";
import { MAX_JSON_DEPTH, startWebhookServer, type WebhookServer } from "@paycron/webhooks";
import { countRows, deepStripeDelivery, deepSupabaseDelivery, rawRequest, STRIPE_SECRET, stripeDelivery, SUPABASE_SECRET, testConfig, truncateInbox } from "./helpers.ts";

/*
 * Random and mutated requests against a real listening server. The oracle: a Stripe request is
 * never valid unless it carries an untouched signed body, so it must get a 4xx; a Supabase
 * request gets 200 only when it is authorised and its body really is a valid payload, a 4xx
 * otherwise. Never a 5xx, never a crash. The seed is printed so a failure can be replayed.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CASES = 1_200;

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const t = useTestDb();
let server: WebhookServer;
// The default 1 MiB body limit, so that 100,000 levels of nesting (200 kB) reach the depth check.
let roomyServer: WebhookServer;
beforeAll(async () => {
  server = await startWebhookServer({ db: t.db, config: testConfig({ WEBHOOK_BODY_LIMIT_BYTES: "65536" }), logger: silentLogger(), port: 0, hostname: "127.0.0.1" });
  roomyServer = await startWebhookServer({ db: t.db, config: testConfig(), logger: silentLogger(), port: 0, hostname: "127.0.0.1" });
});
afterAll(async () => {
  await server?.close();
  await roomyServer?.close();
});

describe("fuzz", () => {
  it(`answers ${CASES} random and mutated requests with 4xx only (seed ${SEED}) and keeps serving /healthz`, async () => {
    const random = rng(SEED);
    const int = (n: number) => Math.floor(random() * n);
    const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
    const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
    const randomText = (n: number) => Array.from({ length: n }, () => String.fromCharCode(32 + int(95))).join("");

    const mutate = (body: string): string => {
      const b = Buffer.from(body);
      switch (int(6)) {
        case 0: // flip a bit
          b[int(b.length)]! ^= 1 << int(8);
          return b.toString("latin1");
        case 1: // truncate
          return body.slice(0, int(body.length));
        case 2: // insert junk
          return body.slice(0, int(body.length)) + randomText(1 + int(20)) + body.slice(int(body.length));
        case 3: // swap a JSON token
          return body.replace(pick(['"', ":", ",", "{", "}", "[", "]"]), pick(["", "'", "null", "\\", "\u0000", "\ud800"]));
        case 4: // duplicate a region
          return body + body.slice(int(body.length));
        default: // replace a value
          return body.replace(/"[a-z_]+": ("[^"]*"|\d+|true|false|null)/, `"${randomText(4)}": ${pick(["1e999", "-0", '"\\u0000"', "[]", "{}", '"x"'])}`);
      }
    };

    const base = stripeDelivery("payment_intent.succeeded", { clock: systemClock });
    const supabaseBase = JSON.stringify(buildSampleSupabasePayload("invoices:UPDATE", { clock: systemClock }));
    const methods = ["POST", "POST", "POST", "GET", "PUT", "DELETE", "PATCH", "OPTIONS"];
    const paths = ["/webhooks/stripe", "/webhooks/stripe", "/webhooks/supabase", "/webhooks/supabase", "/webhooks/stripe/", "/webhooks", "/healthz/x", "/%", "/webhooks/stripe?x=1"];

    const make = () => {
      // Mostly well-routed requests, so the interesting checks (signature, auth, schema) get the traffic.
      const path = int(10) < 8 ? pick(["/webhooks/stripe", "/webhooks/supabase"]) : pick(paths);
      const method = int(10) < 9 ? "POST" : pick(methods);
      const headers: Record<string, string> = {};
      let body: string | Buffer;
      switch (int(4)) {
        case 0:
          body = randomBytes(int(2048));
          break;
        case 1:
          body = randomText(int(2048));
          break;
        case 2:
          body = mutate(base.body);
          break;
        default:
          body = mutate(supabaseBase);
      }
      const now = Math.floor(systemClock.now().getTime() / 1000);
      switch (int(6)) {
        case 0:
          break;
        case 1: // a real signature over the unmutated body
          headers["stripe-signature"] = base.headers["stripe-signature"];
          break;
        case 2: // a real signature over this body with the wrong secret, or a garbage header
          headers["stripe-signature"] = int(2) ? signStripePayload(body.toString(), "whsec_wrong", now) : randomText(int(200));
          break;
        case 3: // a valid signature, but too old
          headers["stripe-signature"] = signStripePayload(body.toString(), STRIPE_SECRET, now - 301 - int(10_000));
          break;
        case 4:
          headers.authorization = `Bearer ${SUPABASE_SECRET}`;
          break;
        default:
          headers.authorization = pick([`Bearer ${randomText(int(40))}`, randomText(int(60)), `Bearer ${SUPABASE_SECRET.slice(1)}`, "Bearer"]);
      }
      if (int(4) === 0) headers["content-type"] = pick(["text/plain", "application/json", "multipart/form-data; boundary=x", randomText(10)]);
      return { path, method, headers, body };
    };

    const expectedValid = (c: ReturnType<typeof make>): boolean => {
      if (c.method !== "POST" || c.path !== "/webhooks/supabase") return false;
      if (c.headers.authorization !== `Bearer ${SUPABASE_SECRET}`) return false;
      try {
        const text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.isBuffer(c.body) ? c.body : Buffer.from(c.body));
        if (text.includes("\\u0000")) return false;
        return supabaseWebhookPayload.safeParse(JSON.parse(text)).success;
      } catch {
        return false;
      }
    };

    const failures: string[] = [];
    let accepted = 0;
    const statuses = new Map<number, number>();
    const cases = Array.from({ length: CASES }, make);
    for (let i = 0; i < cases.length; i += 25) {
      await Promise.all(
        cases.slice(i, i + 25).map(async (c, j) => {
          let status: number;
          try {
            const res = await fetch(`${server.url}${c.path}`, {
              method: c.method,
              headers: c.headers,
              body: c.method === "GET" ? undefined : c.body,
            });
            status = res.status;
            const text = await res.text();
            if (status >= 400 && !/^\{"error":\{"code":"[a-z_]+","message":/.test(text)) failures.push(`#${i + j} ${status} non-JSON error body ${text.slice(0, 80)}`);
          } catch (error) {
            failures.push(`#${i + j} request failed: ${(error as Error).message}`);
            return;
          }
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          const valid = expectedValid(c);
          if (valid && status === 200) accepted++;
          else if (valid || status < 400 || status >= 500) failures.push(`#${i + j} ${c.method} ${c.path} → ${status} (expected ${valid ? "200" : "4xx"})`);
        }),
      );
    }

    // Raw protocol garbage, which fetch cannot send.
    const port = Number(new URL(server.url).port);
    const raw = ["\x00\x01\x02\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "POST /webhooks/stripe HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "POST /webhooks/stripe HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", `POST /webhooks/stripe HTTP/1.1\r\nX: ${"a".repeat(20_000)}\r\n\r\n`];
    for (const bytes of raw) {
      const reply = await rawRequest(port, bytes);
      if (reply && !/^HTTP\/1\.1 4\d\d/.test(reply)) failures.push(`raw ${JSON.stringify(bytes.slice(0, 40))} → ${reply.slice(0, 40)}`);
    }

    if (process.env.FUZZ_VERBOSE) console.log(JSON.stringify([...statuses]), accepted);
    expect(failures, `seed ${SEED}; statuses ${JSON.stringify([...statuses])}`).toEqual([]);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // Only authorised, valid Supabase payloads were stored; Stripe accepted nothing.
    expect(await t.db.selectFrom("webhook_events").select("provider").where("provider", "=", "stripe").execute()).toEqual([]);
    expect(await countRows(t.db, "webhook_events")).toBeLessThanOrEqual(accepted);
  });
});

describe("nesting depth", () => {
  // What this stores must not count in the random fuzz's tally of stored events.
  afterEach(() => truncateInbox(t.db));

  // Signed and authorised, so the depth check is what answers. Both bodies nest levels + 2 deep.
  const DEPTHS = [10, 100, 1_000, 5_000, 10_000, 100_000];
  it(`answers bodies nested ${DEPTHS.join(", ")} levels deep with 200 within ${MAX_JSON_DEPTH} levels and payload_too_deep beyond, never a 5xx`, async () => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const levels of DEPTHS) {
      for (const [path, delivery] of [
        ["/webhooks/stripe", deepStripeDelivery(levels, { clock: systemClock })],
        ["/webhooks/supabase", deepSupabaseDelivery(levels, { clock: systemClock })],
      ] as const) {
        const res = await fetch(`${roomyServer.url}${path}`, { method: "POST", headers: delivery.headers, body: delivery.body });
        const answer = res.status === 200 ? "" : ((await res.json()) as { error: { code: string } }).error.code;
        outcomes.push(`${path} ${levels}: ${res.status} ${answer}`);
        expected.push(levels + 2 <= MAX_JSON_DEPTH ? `${path} ${levels}: 200 ` : `${path} ${levels}: 400 payload_too_deep`);
      }
    }
    expect(outcomes).toEqual(expected);
    expect((await fetch(`${roomyServer.url}/healthz`)).status).toBe(200);
  });
});
