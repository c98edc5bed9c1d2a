import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createLocalStripeClient } from "@paycron/stripe";

describe("the local Stripe provider", () => {
  it("sends the real SDK's requests to the emulator's address, with a local test key", async () => {
    const seen: Array<{ method?: string; url?: string; authorization?: string }> = [];
    const server = createServer((req, res) => {
      seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: "cus_local", object: "customer" }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const stripe = createLocalStripeClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      const customer = await stripe.customers.retrieve("cus_local");
      expect(customer.id).toBe("cus_local");
      expect(seen).toEqual([{ method: "GET", url: "/v1/customers/cus_local", authorization: "Bearer sk_test_paycron_local" }]);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
