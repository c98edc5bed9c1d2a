import { dirname } from "node:path";
import { summarizeTasks } from "@paycron/local-engine";
import type { TaskCatalog } from "@paycron/runtime/catalog";

export interface DevBannerInfo {
  webhookUrl: string;
  /** The local dashboard (runs, tasks, webhook events, billing). */
  dashboardUrl?: string;
  database: { url: string; source: string; embedded: boolean };
  engine: "local" | "trigger";
  /** What tasks call for Stripe: dev's own emulator, the one at STRIPE_API_URL, or the real Stripe (key masked). */
  stripe?: { kind: "emulator" | "url"; url: string } | { kind: "stripe"; secretKey: string };
  /** Each secret the app verifies with, and whether it is the generated dev one (shown) or the environment's (masked). */
  secrets: { stripe: Array<{ value: string; dev: boolean }>; supabase: { value: string; dev: boolean } };
  tasks: BannerTask[];
  startupMs: number;
  /** Where documents and emails go: local folders (served at /files, the local outbox) or the providers named. */
  documents?: { storage: string; emails: string };
}

export interface BannerTask {
  id: string;
  /** The folder of its file under trigger/ ("stripe"), "" at the top. */
  group: string;
  schedule?: { cron: string; timezone: string; next?: Date };
}

/** The catalog's tasks with the next slot of each schedule after `now`. */
export function bannerTasks(catalog: TaskCatalog, now: Date): BannerTask[] {
  return summarizeTasks(catalog, { now: () => now }, { upcoming: 1 }).map((task) => ({
    id: task.id,
    group: dirname(task.file) === "." ? "" : dirname(task.file),
    schedule: task.schedule ? { cron: task.schedule.cron, timezone: task.schedule.timezone, next: task.schedule.next[0] } : undefined,
  }));
}

/**
 * What `pnpm dev` prints once it is up: everything needed to use it from another terminal, in
 * one block. Generated dev secrets are shown (they grant nothing outside this machine); secrets
 * from the environment are masked, since the person who set them has them.
 */
export function formatDevBanner(info: DevBannerInfo, now: Date): string {
  const label = (name: string) => `  ${name.padEnd(10)}`;
  const more = " ".repeat(12);
  const lines = ["", `  Paycron dev is up (${(info.startupMs / 1000).toFixed(1)} s). Ctrl-C stops it.`, ""];

  if (info.dashboardUrl) lines.push(`${label("Dashboard")}${info.dashboardUrl}`);
  lines.push(`${label("Webhooks")}${info.webhookUrl}/webhooks/stripe`, `${more}${info.webhookUrl}/webhooks/supabase`, `${more}${info.webhookUrl}/healthz`);
  lines.push(`${label("Database")}${info.database.embedded ? info.database.url : maskPassword(info.database.url)}`, `${more}${info.database.source}`);

  if (info.stripe) {
    const s = info.stripe;
    lines.push(`${label("Stripe")}${s.kind === "stripe" ? `api.stripe.com with ${maskKey(s.secretKey)}  (STRIPE_SECRET_KEY)` : `${s.url} (${s.kind === "emulator" ? "emulator" : "emulator at STRIPE_API_URL"})`}`);
  }

  const stripe = info.secrets.stripe.map((s) => (s.dev ? `${s.value}  (dev)` : `${mask(s.value)}  (STRIPE_WEBHOOK_SECRETS)`));
  lines.push(`${label("Secrets")}Stripe    ${stripe[0] ?? "-"}`, ...stripe.slice(1).map((s) => `${more}          ${s}`));
  const supabase = info.secrets.supabase;
  lines.push(`${more}Supabase  ${supabase.dev ? `${supabase.value}  (dev)` : `${mask(supabase.value)}  (SUPABASE_WEBHOOK_SECRET)`}`);
  lines.push(`${more}stripe listen --forward-to ${info.webhookUrl.replace(/^https?:\/\//, "")}/webhooks/stripe`);
  lines.push(`${more}  then restart with STRIPE_WEBHOOK_SECRETS=<the whsec_… it prints> (or put it in .env)`);

  const crons = info.tasks.filter((t) => t.schedule);
  const where = info.engine === "local" ? "on the local engine" : "on Trigger.dev (PAYCRON_ENGINE=trigger)";
  lines.push(`${label("Tasks")}${info.tasks.length} ${where}`);
  const idWidth = Math.max(0, ...crons.map((t) => t.id.length));
  const cronWidth = Math.max(0, ...crons.map((t) => `${t.schedule!.cron} ${t.schedule!.timezone}`.length));
  for (const task of crons) {
    const { cron, timezone, next } = task.schedule!;
    const when = next ? `next ${next.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z")} (${inWords(next.getTime() - now.getTime())})` : "no next run";
    lines.push(`${more}${task.id.padEnd(idWidth)}  ${`${cron} ${timezone}`.padEnd(cronWidth)}  ${when}`);
  }
  const groups = new Map<string, string[]>();
  for (const task of info.tasks.filter((t) => !t.schedule)) {
    const name = task.group || "other";
    groups.set(name, [...(groups.get(name) ?? []), task.group ? task.id.slice(task.group.length + 1) : task.id]);
  }
  for (const [group, ids] of groups) lines.push(...wrap(`${group} (${ids.length}): ${ids.join(", ")}`, 100 - more.length).map((l, i) => `${more}${i ? "  " : ""}${l}`));

  if (info.documents) {
    lines.push(`${label("Documents")}${info.documents.storage}`, `${more}pnpm paycron invoice pdf <number> prints a signed link`);
    lines.push(`${label("Emails")}${info.documents.emails}`);
  }

  lines.push(`${label("CLI")}pnpm paycron runs | webhook send stripe payment_intent.succeeded | --help`, `${more}(beside this dev, the CLI uses its database and webhook app by itself)`, "");
  return lines.join("\n");
}

function inWords(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `in ${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `in ${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `in ${h} h ${m % 60} min`;
  return `in ${Math.floor(h / 24)} days`;
}

function mask(secret: string): string {
  const prefix = /^whsec_/.test(secret) ? "whsec_" : "";
  return `${prefix}…${secret.slice(-4)}`;
}

/** `sk_test_…wxyz`: the mode shows, the key does not. */
function maskKey(key: string): string {
  const prefix = /^(sk|rk)_(live|test)_/.exec(key)?.[0] ?? "";
  return `${prefix}…${key.slice(-4)}`;
}

function maskPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparsable URL)";
  }
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}
