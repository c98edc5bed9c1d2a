import type { WebhookProvider } from "@paycron/db";
import { InboxError } from "./errors.ts";

/** What `paycron webhook replay` passes on: loose on purpose, so every bad combination is refused here. */
export interface ReplayWebhookEventsInput {
  /** A webhook_events id (uuid) or a provider's event id (Stripe `evt_…`, a Supabase payload hash). */
  id?: string;
  type?: string;
  /** Events received at or after this time: a Date, YYYY-MM-DD (midnight UTC) or an ISO time with a zone. */
  since?: Date | string;
  provider?: string;
  /** Events per transaction. */
  batchSize?: number;
}

export type ReplayFilter =
  | { by: "id"; id: string; provider?: WebhookProvider }
  | { by: "type"; type: string; since: Date; provider?: WebhookProvider; batchSize: number };

const PROVIDERS: readonly string[] = ["stripe", "supabase"] satisfies WebhookProvider[];
const DEFAULT_BATCH = 100;

export function parseReplayFilter(input: ReplayWebhookEventsInput): ReplayFilter {
  const id = input.id?.trim() || undefined;
  const type = input.type?.trim() || undefined;
  const since = typeof input.since === "string" ? input.since.trim() || undefined : input.since;
  if (input.provider !== undefined && !PROVIDERS.includes(input.provider)) {
    throw invalid(`unknown provider "${input.provider}": use stripe or supabase`);
  }
  const provider = input.provider as WebhookProvider | undefined;

  if (id && (type || since)) throw invalid("give an event id, or a type with since, not both");
  if (id) return { by: "id", id, provider };
  if (!type && !since) throw invalid("nothing to replay: give an event id, or a type with since (e.g. payment_intent.succeeded since 2026-12-01)");
  if (!type) throw invalid("since needs a type as well (e.g. payment_intent.succeeded)");
  if (!since) throw invalid(`a type needs since as well (a date such as 2026-12-01), so that not every ${type} event ever stored is replayed by accident`);

  const batchSize = input.batchSize ?? DEFAULT_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw invalid(`batchSize must be a positive integer, got ${batchSize}`);
  return { by: "type", type, since: parseSince(since), provider, batchSize };
}

const DATE_OR_ZONED_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * A time without a zone is refused rather than read as the machine's local time: the operator on
 * a laptop and the server would replay different events. A date alone is midnight UTC.
 */
function parseSince(since: Date | string): Date {
  if (since instanceof Date) {
    if (Number.isNaN(since.getTime())) throw invalid("since is an invalid Date");
    return since;
  }
  const match = DATE_OR_ZONED_TIME.exec(since);
  const ms = match ? Date.parse(since) : Number.NaN;
  // Date.parse rolls 2026-02-30 over into March; a date that is not on the calendar is a typo.
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const onCalendar = new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day && month >= 1 && month <= 12;
  if (Number.isNaN(ms) || !onCalendar) {
    throw invalid(`since "${since}" is not a date: use YYYY-MM-DD (midnight UTC) or an ISO time with a zone, e.g. 2026-12-01T09:00Z`);
  }
  return new Date(ms);
}

const invalid = (message: string) => new InboxError("invalid_replay_filter", message);
