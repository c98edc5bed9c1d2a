import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { TestClock } from "@paycron/core";
import { expect } from "vitest";
import { createLocalStripeClient, Stripe } from "@paycron/stripe";
import { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from "@paycron/stripe-emulator";

export const START = "2026-03-01T12:00:00.000Z";

export async function emulatorWithClient(options: Partial<StripeEmulatorOptions> = {}): Promise<{
  clock: TestClock;
  emulator: StripeEmulator;
  stripe: Stripe;
}> {
  const clock = (options.clock as TestClock | undefined) ?? new TestClock(START);
  const emulator = await startStripeEmulator({ ...options, clock });
  return { clock, emulator, stripe: createLocalStripeClient(emulator.url) };
}

export interface Received {
  body: string;
  signature: string | undefined;
}

/** A webhook receiver that answers `status(n, body)` to its n-th request (0-based), or hangs up when it returns "drop". */
export async function startReceiver(status: (n: number, body: string) => number | "drop" = () => 200) {
  const received: Received[] = [];
  let n = 0;
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const answer = status(n++, body);
      received.push({ body, signature: req.headers["stripe-signature"] as string | undefined });
      if (answer === "drop") {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** The Stripe error a request fails with (and a failure when it does not fail). */
export async function stripeFailure(promise: Promise<unknown>): Promise<InstanceType<typeof Stripe.errors.StripeError>> {
  const error = await promise.then(
    () => {
      throw new Error("expected the request to fail");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Stripe.errors.StripeError);
  return error as InstanceType<typeof Stripe.errors.StripeError>;
}
