import type { TaskId } from "@paycron/tasks";

/**
 * `table:TYPE` of a Supabase database webhook → its task (trigger/supabase/<task>.ts). Changes of
 * other tables or operations are stored as `ignored`, so installing a broader webhook than we
 * route loses nothing and costs nothing. docs/supabase-webhooks.md installs exactly these.
 */
export const SUPABASE_EVENT_ROUTES = {
  "customers:INSERT": "supabase-customers-insert",
  "invoices:UPDATE": "supabase-invoices-update",
  "subscriptions:UPDATE": "supabase-subscriptions-update",
  "usage_events:INSERT": "supabase-usage-events-insert",
} as const satisfies Record<string, TaskId>;

export type RoutedSupabaseEvent = keyof typeof SUPABASE_EVENT_ROUTES;

/** Only the public schema is routed: a same-named table elsewhere is not ours. */
export function supabaseTaskFor(schema: string, table: string, type: string): TaskId | undefined {
  const key = `${table}:${type}`;
  if (schema !== "public" || !Object.hasOwn(SUPABASE_EVENT_ROUTES, key)) return undefined;
  return SUPABASE_EVENT_ROUTES[key as RoutedSupabaseEvent];
}
