import { resolve } from "node:path";
import type { Command } from "commander";
import { systemClock } from "@paycron/core";
import { buildSampleStripeEvent, isSampleStripeEventType, SAMPLE_STRIPE_EVENT_TYPES, signStripeEvent } from "@paycron/stripe";
import { buildSampleSupabasePayload, SUPABASE_SAMPLE_EVENTS } from "@paycron/webhooks";
import { devWebhookConfig } from "../dev-secrets.ts";
import { readCliEnv } from "../env.ts";
import { registerWebhookReplay } from "./webhook-replay.ts";

interface SendOptions {
  url?: string;
  eventId?: string;
}

/*
 * `pnpm paycron webhook send …` posts what Stripe or Supabase would: a realistic event, signed
 * (Stripe) or with the bearer secret (Supabase), from the same configuration `pnpm dev` serves
 * with (devWebhookConfig), so the two agree without configuration.
 */
export function registerWebhook(program: Command): void {
  const webhook = program.command("webhook").description("send sample webhooks to a running Paycron (pnpm dev), or replay stored ones");
  registerWebhookReplay(webhook);
  webhook
    .command("send")
    .description("sign and POST a realistic sample event")
    .argument("<provider>", "stripe or supabase")
    .argument("<event>", `stripe: an event type (${SAMPLE_STRIPE_EVENT_TYPES.join(", ")}); supabase: table:TYPE (${SUPABASE_SAMPLE_EVENTS.join(", ")})`)
    .option("--url <url>", "endpoint (default http://127.0.0.1:$PORT/webhooks/<provider>)")
    .option("--event-id <id>", "stripe: reuse this evt_… id, to watch a redelivery being deduplicated")
    .addHelpText(
      "after",
      "\nExamples:\n  pnpm paycron webhook send stripe payment_intent.succeeded\n  pnpm paycron webhook send supabase invoices:UPDATE --url http://127.0.0.1:3000/webhooks/supabase\n",
    )
    .action(async (provider: string, event: string, options: SendOptions) => {
      const env = readCliEnv();
      const config = devWebhookConfig(resolve(env.PAYCRON_DATA_DIR));
      const base = `http://127.0.0.1:${env.PORT}`;
      let url: string;
      let init: RequestInit;
      let description: string;

      if (provider === "stripe") {
        if (!/^[a-z_]+(\.[a-z_]+)+$/.test(event)) throw new Error(`"${event}" is not a Stripe event type such as payment_intent.succeeded`);
        if (!isSampleStripeEventType(event)) console.warn(`note: no sample object for ${event}; sending a minimal one (Paycron stores it as ignored)`);
        const secret = config.stripeWebhookSecrets[0]!;
        const sample = buildSampleStripeEvent(event, { clock: systemClock, id: options.eventId });
        const signed = signStripeEvent(sample, secret, { clock: systemClock });
        url = options.url ?? `${base}/webhooks/stripe`;
        init = { method: "POST", headers: signed.headers, body: signed.body };
        description = `${event} ${String(sample.id)}`;
      } else if (provider === "supabase") {
        const payload = buildSampleSupabasePayload(event, { clock: systemClock });
        const secret = config.supabaseWebhookSecret;
        url = options.url ?? `${base}/webhooks/supabase`;
        init = { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${secret}` }, body: JSON.stringify(payload) };
        description = event;
      } else {
        throw new Error(`unknown provider "${provider}": use stripe or supabase`);
      }

      let res: Response;
      try {
        res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
      } catch (error) {
        const reason = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
        throw new Error(`could not reach ${url} (is \`pnpm dev\` running?): ${reason}`, { cause: error });
      }
      const body = await res.text();
      console.log(`${provider} ${description} → ${url}\n${res.status} ${body}`);
      if (!res.ok) process.exitCode = 1;
    });
}
