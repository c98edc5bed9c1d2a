import { resolve } from "node:path";
import type { Command } from "commander";
import { systemClock } from "@paycron/core";
import { createDb, type Db, type WebhookProvider } from "@paycron/db";
import {
  STRIPE_EVENT_ROUTES,
  stripeTaskFor,
  supabaseEventKey,
  supabaseTaskFor,
  supabaseWebhookPayload,
  type SupabaseWebhookPayload,
} from "@paycron/inbox";
import { buildSampleStripeEvent, SAMPLE_STRIPE_EVENT_TYPES, signStripeEvent } from "@paycron/stripe";
import { buildSampleSupabasePayload, SUPABASE_SAMPLE_EVENTS } from "@paycron/webhooks";
import { devWebhookConfig } from "../dev-secrets.ts";
import { readDevState } from "../dev-state.ts";
import { didYouMean } from "../did-you-mean.ts";
import { readCliEnv } from "../env.ts";
import { registerWebhookReplay } from "./webhook-replay.ts";

interface SendOptions {
  url?: string;
  eventId?: string;
  force?: boolean;
}

const KNOWN_STRIPE_TYPES = [...new Set([...SAMPLE_STRIPE_EVENT_TYPES, ...Object.keys(STRIPE_EVENT_ROUTES)])].sort();

const EXAMPLES = `
Beside a running \`pnpm dev\` it posts to that app, signed with the secrets it verifies with
(when STRIPE_WEBHOOK_SECRETS lists several, the first), and says whether the app stored a new
event or recognised a redelivery.

Examples:
  pnpm paycron webhook send stripe payment_intent.succeeded
  pnpm paycron webhook send stripe customer.updated --event-id evt_demo    # twice: stored once
  pnpm paycron webhook send stripe invoice.paid --force                    # a type Paycron does not route: stored as ignored
  pnpm paycron webhook send supabase customers:INSERT
  pnpm paycron webhook send supabase customers:INSERT --event-id <key>     # resend a stored change (key printed by a send)
`;

/*
 * `pnpm paycron webhook send …` posts what Stripe or Supabase would: a realistic event, signed
 * (Stripe) or with the bearer secret (Supabase). Beside a running `pnpm dev` it uses what that
 * dev published (dev.json): its URL, its secrets and its database, where it looks the event up
 * before and after, since the app answers a redelivery exactly as a new event.
 */
export function registerWebhook(program: Command): void {
  const webhook = program.command("webhook").description("send sample webhooks to a running Paycron (pnpm dev), or replay stored ones");
  registerWebhookReplay(webhook);
  webhook
    .command("send")
    .description("sign and POST a realistic sample event; say whether the app stored it or already had it")
    .argument("<provider>", "stripe or supabase")
    .argument("<event>", `stripe: an event type (${KNOWN_STRIPE_TYPES.join(", ")}); supabase: table:TYPE (${SUPABASE_SAMPLE_EVENTS.join(", ")})`)
    .option("--url <url>", "endpoint (default: the running pnpm dev's, else http://127.0.0.1:$PORT/webhooks/<provider>)")
    .option("--event-id <id>", "stripe: send under this evt_… id; supabase: resend the stored change with this key (a redelivery)")
    .option("--force", "stripe: send a type Paycron does not know (stored as ignored)")
    .addHelpText("after", EXAMPLES)
    .action(async (provider: string, event: string, options: SendOptions) => {
      const env = readCliEnv();
      const dataDir = resolve(env.PAYCRON_DATA_DIR);
      const dev = readDevState(dataDir);
      const secrets = dev?.webhookSecrets ?? fromConfig(devWebhookConfig(dataDir));
      if (provider !== "stripe" && provider !== "supabase") throw new Error(`unknown provider "${provider}": use stripe or supabase`);
      const url = options.url ?? `${dev?.webhookUrl ?? `http://127.0.0.1:${env.PORT}`}/webhooks/${provider}`;
      // The app's own database: the running dev's when posting to it, else DATABASE_URL.
      const databaseUrl = dev?.webhookUrl && sameOrigin(url, dev.webhookUrl) ? dev.databaseUrl : env.DATABASE_URL;
      const db = databaseUrl ? createDb({ connectionString: databaseUrl, applicationName: "paycron-cli" }) : undefined;
      try {
        const delivery =
          provider === "stripe" ? stripeDelivery(event, options, secrets.stripe[0]!) : await supabaseDelivery(event, options, secrets.supabase, db);
        const before = db && (await findEvent(db, provider, delivery.eventId));

        let res: Response;
        try {
          res = await fetch(url, { method: "POST", headers: delivery.headers, body: delivery.body, signal: AbortSignal.timeout(15_000) });
        } catch (error) {
          const reason = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
          throw new Error(`could not reach ${url} (is \`pnpm dev\` running?): ${reason}`, { cause: error });
        }
        console.log(`${provider} ${delivery.description} → ${url}\n${res.status} ${await res.text()}`);
        if (!res.ok) {
          process.exitCode = 1;
          return;
        }
        if (!db) {
          console.log("stored (new or a redelivery: no database to tell, as this is not the running pnpm dev's app and DATABASE_URL is unset)");
          return;
        }
        const after = await findEvent(db, provider, delivery.eventId);
        if (before) {
          console.log(`duplicate: the app already had this event (webhook event ${before.id}, ${before.status}); it stored nothing and started no run`);
        } else if (after) {
          // A routed event's task may have settled it already (ignored too, for its own reason).
          console.log(
            delivery.taskId
              ? `new: stored as webhook event ${after.id}; its task ${delivery.taskId} runs it`
              : `new: stored as webhook event ${after.id}, ignored (no task handles ${delivery.type})`,
          );
        } else {
          console.log(`the app answered ${res.status}, but its database has no such event: is ${url} another app than the one on that database?`);
          process.exitCode = 1;
        }
      } finally {
        await db?.destroy();
      }
    });
}

interface Delivery {
  /** The dedupe key the app stores the event under. */
  eventId: string;
  type: string;
  taskId?: string;
  headers: Record<string, string>;
  body: string;
  description: string;
}

function stripeDelivery(type: string, options: SendOptions, secret: string): Delivery {
  if (!KNOWN_STRIPE_TYPES.includes(type) && !options.force) {
    const guess = didYouMean(type, KNOWN_STRIPE_TYPES);
    throw new Error(
      `unknown Stripe event type "${type}"${guess ? ` (did you mean ${guess}?)` : ""}. Known types: ${KNOWN_STRIPE_TYPES.join(", ")}. ` +
        "--force sends it anyway, with a minimal object (Paycron stores it as ignored)",
    );
  }
  if (!/^[a-z_]+(\.[a-z_]+)+$/.test(type)) throw new Error(`"${type}" is not a Stripe event type such as payment_intent.succeeded`);
  const sample = buildSampleStripeEvent(type, { clock: systemClock, id: options.eventId });
  const signed = signStripeEvent(sample, secret, { clock: systemClock });
  const eventId = String(sample.id);
  return { eventId, type, taskId: stripeTaskFor(type), headers: signed.headers, body: signed.body, description: `${type} ${eventId}` };
}

async function supabaseDelivery(event: string, options: SendOptions, secret: string, db: Db | undefined): Promise<Delivery> {
  if (options.force) throw new Error("--force is for Stripe types; a Supabase event is table:TYPE of a table with sample rows");
  let payload: SupabaseWebhookPayload;
  if (options.eventId) {
    // Supabase sends no event id: the app keys a change on a hash of its content, so the only way
    // to deliver "the same event" again is to resend the stored change.
    if (!db) throw new Error("--event-id for supabase resends a stored change, which needs the app's database: run it beside pnpm dev, or set DATABASE_URL");
    const stored = await db
      .selectFrom("webhook_events")
      .select(["payload", "type"])
      .where("provider", "=", "supabase")
      .where("provider_event_id", "=", options.eventId)
      .executeTakeFirst();
    if (!stored) throw new Error(`no stored Supabase event with key ${options.eventId} (a send prints the key of the change it posts)`);
    if (stored.type !== event) throw new Error(`the stored event ${options.eventId} is ${stored.type}, not ${event}`);
    payload = supabaseWebhookPayload.parse(stored.payload);
  } else {
    payload = buildSampleSupabasePayload(event, { clock: systemClock });
  }
  const eventId = supabaseEventKey(payload);
  return {
    eventId,
    type: event,
    taskId: supabaseTaskFor(payload.schema, payload.table, payload.type),
    headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
    body: JSON.stringify(payload),
    description: `${event} ${eventId}`,
  };
}

async function findEvent(db: Db, provider: WebhookProvider, providerEventId: string) {
  return db
    .selectFrom("webhook_events")
    .select(["id", "status"])
    .where("provider", "=", provider)
    .where("provider_event_id", "=", providerEventId)
    .executeTakeFirst();
}

function fromConfig(config: { stripeWebhookSecrets: string[]; supabaseWebhookSecret: string }) {
  return { stripe: config.stripeWebhookSecrets, supabase: config.supabaseWebhookSecret };
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
