import { InvalidArgumentError, type Command } from "commander";
import { createLogger, logOutputFromEnv } from "@paycron/core";
import { readCliEnv } from "../env.ts";
import { startLocalStripeEmulator } from "../local-providers.ts";

const HELP = `
An in-memory Stripe API (customers, payment methods, payment and setup intents, refunds, test
cards such as pm_card_visa, Idempotency-Key, events) that the real stripe SDK talks to over HTTP.
State lives in this process only. \`pnpm dev\` starts one by itself unless STRIPE_SECRET_KEY or
STRIPE_API_URL is set; run this one for another process (then STRIPE_API_URL=<its URL> pnpm dev).
With --webhook-url and --webhook-secret each event is POSTed there, signed with the secret as
Stripe signs (retried for about ten minutes).

Examples:
  pnpm paycron stripe-emulator --port 12111
  pnpm paycron stripe-emulator --webhook-url http://127.0.0.1:3000/webhooks/stripe --webhook-secret whsec_…

  // point the SDK at it (any sk_test_ key):
  import { createLocalStripeClient } from "@paycron/stripe";
  const stripe = createLocalStripeClient("http://127.0.0.1:12111");
  // or: new Stripe("sk_test_x", { host: "127.0.0.1", port: 12111, protocol: "http" })
  await stripe.paymentIntents.create({ amount: 1000, currency: "eur", payment_method: "pm_card_visa", confirm: true });
`;

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("a port number (0-65535)");
  return n;
}

export function registerStripeEmulator(program: Command): void {
  program
    .command("stripe-emulator")
    .description("run the Stripe API emulator until Ctrl-C, printing its URL")
    .option("-p, --port <port>", "port to listen on (default: $STRIPE_EMULATOR_PORT, else a free one)", port)
    .option("--webhook-url <url>", "POST each event here (with --webhook-secret)")
    .option("--webhook-secret <whsec>", "the endpoint's signing secret, whsec_… (with --webhook-url)")
    .addHelpText("after", HELP)
    .action(async (options: { port?: number; webhookUrl?: string; webhookSecret?: string }, command: Command) => {
      if ((options.webhookUrl === undefined) !== (options.webhookSecret === undefined)) {
        command.error("error: --webhook-url and --webhook-secret go together");
      }
      if (options.webhookUrl !== undefined && !URL.canParse(options.webhookUrl)) command.error(`error: --webhook-url: not a URL: ${options.webhookUrl}`);
      const env = readCliEnv();
      const logger = createLogger({ name: "stripe-emulator", level: env.LOG_LEVEL, ...logOutputFromEnv(process.env, process.stdout) });
      const emulator = await startLocalStripeEmulator({
        port: options.port ?? env.STRIPE_EMULATOR_PORT,
        webhook: options.webhookUrl ? { url: options.webhookUrl, secret: options.webhookSecret! } : undefined,
        logger,
      });
      console.log(`Stripe emulator on ${emulator.url}${options.webhookUrl ? `, webhooks to ${options.webhookUrl}` : ""}. Ctrl-C stops it.`);
      console.log(`  STRIPE_API_URL=${emulator.url}`);
      let stopping = false;
      const stop = async () => {
        // Under pnpm one Ctrl-C arrives twice (the terminal's and pnpm's copy): the first one stops.
        if (stopping) return;
        stopping = true;
        await emulator.stop();
        process.exit(0);
      };
      process.on("SIGINT", () => void stop());
      process.on("SIGTERM", () => void stop());
    });
}
