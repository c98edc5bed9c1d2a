import { resolve } from "node:path";
import type { Command } from "commander";
import { createLogger, logOutputFromEnv, systemClock } from "@paycron/core";
import { migrationsAreCurrent } from "@paycron/db";
import { openDatabase } from "../database.ts";
import { readDevState } from "../dev-state.ts";
import { readCliEnv } from "../env.ts";
import { localProviders } from "../local-providers.ts";
import { subscribe } from "../subscribe.ts";

interface SubscribeOptions {
  email: string;
  card: string[];
  quantity: string;
}

const EXAMPLES = `
Beside a running pnpm dev (its database, its Stripe emulator and its engine, which charges the
first period at once and every renewal through its hourly cron):
  pnpm paycron seed
  pnpm paycron subscribe "Pro (monthly)"
  pnpm paycron subscribe "Pro (monthly)" --card pm_card_chargeCustomerFail --card pm_card_visa
  pnpm paycron runs --task billing-run
Cards are Stripe's test payment methods: pm_card_visa, pm_card_mastercard (succeed),
pm_card_chargeCustomerFail (attaches, then every charge is declined), pm_usBankAccount (settles in days).
`;

export function registerSubscribe(program: Command): void {
  program
    .command("subscribe")
    .description("sign a new customer up to a price, with Stripe test cards, as the app would")
    .argument("<price>", "a price id or its exact name")
    .option("--email <email>", "the customer's email", "customer@example.test")
    .option("--card <payment-method>", "a Stripe test payment method; repeat for a backup (default pm_card_visa)", (v: string, all: string[]) => [...all, v], [])
    .option("--quantity <n>", "seats", "1")
    .addHelpText("after", EXAMPLES)
    .action(async (price: string, options: SubscribeOptions) => {
      const quantity = Number(options.quantity);
      if (!Number.isSafeInteger(quantity) || quantity < 1) throw new Error(`--quantity must be a positive integer, got "${options.quantity}"`);
      if (!/^[^@\s]+@[^@\s]+$/.test(options.email)) throw new Error(`--email must be an email address, got "${options.email}"`);
      const env = readCliEnv();
      const dev = env.DATABASE_URL ? undefined : readDevState(resolve(env.PAYCRON_DATA_DIR));
      const stripe = localProviders(env, dev?.stripeApiUrl ? { stripeApiUrl: () => dev.stripeApiUrl } : {}).stripe;
      if (!stripe) {
        throw new Error("subscribe needs Stripe: run it beside pnpm dev (which starts the Stripe emulator), or set STRIPE_API_URL (an emulator) or STRIPE_SECRET_KEY");
      }
      const database = await openDatabase(env);
      try {
        if (!(await migrationsAreCurrent(database.db))) throw new Error("the database is not migrated: run pnpm paycron migrate (pnpm dev does it)");
        const logger = createLogger({ name: "paycron-cli", level: env.LOG_LEVEL, destination: process.stderr, ...logOutputFromEnv(process.env, process.stderr) });
        const created = await subscribe({ db: database.db, clock: systemClock, logger, stripe: stripe() }, { price, email: options.email, cards: options.card.length ? options.card : ["pm_card_visa"], quantity });
        console.log(`subscription ${created.subscriptionId} ${created.status}  ${created.priceName} × ${quantity}  customer ${created.customerId} (${created.stripeCustomerId})`);
        console.log(`first billing run ${created.billingRunId} due ${created.firstRunAt.toISOString()}${dev ? "; pnpm dev's engine runs it" : "; a running engine (pnpm dev) runs it"}`);
      } finally {
        await database.close();
      }
    });
}
