import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../src/testing/index.ts";

const t = useTestDb();

/*
 * The billing engine's per-subscription lookups of invoices and billing runs (onInvoicePaid,
 * finalizeDunning, expireIncompleteSubscription, the dunning final action) must have an index to
 * use: without one each is a scan of every invoice or run, and N sign-ups cost O(N²). With
 * sequential scans priced out, the planner picks an index scan exactly when a usable index exists.
 */
async function planOf(query: string): Promise<string> {
  return t.db.transaction().execute(async (tx) => {
    await sql`set local enable_seqscan = off`.execute(tx);
    const { rows } = await sql.raw<{ "QUERY PLAN": unknown }>(`explain (format json) ${query}`).execute(tx);
    return JSON.stringify(rows[0]!["QUERY PLAN"]);
  });
}

describe("per-subscription lookups", () => {
  const id = randomUUID();
  it.each([
    ["invoices", `select id from invoices where subscription_id = '${id}' and status = 'open' and amount_due > 0`, "invoices_subscription"],
    ["billing_runs", `select id from billing_runs where subscription_id = '${id}' and status in ('scheduled', 'in_progress', 'awaiting_payment')`, "billing_runs_subscription"],
  ])("of %s by subscription_id use an index, never a sequential scan", async (_table, query, index) => {
    const plan = await planOf(query);
    expect(plan).not.toContain("Seq Scan");
    expect(plan).toContain(index);
  });
});
