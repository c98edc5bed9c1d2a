import pg from "pg";
import { expect } from "vitest";
import type { Db } from "@paycron/db";
import { createOrganization, waitFor } from "@paycron/db/testing";

/**
 * Both isolation files insert the same natural keys. Each waits (in the server's `postgres`
 * database, outside either test database) until the other has written too, which proves the
 * files really ran at the same time and still did not collide.
 */
export async function writeSharedKeysAndMeet(db: Db, serverUrl: string, me: string, other: string) {
  const org = await createOrganization(db, { name: "Shared Org" });
  await db.insertInto("customers").values({ organization_id: org.id, external_id: "shared-external-id", email: "same@example.test" }).execute();
  await db.insertInto("webhook_events").values({ provider: "stripe", provider_event_id: "evt_shared", type: "ping", payload: JSON.stringify({ writer: me }), status: "received" }).execute();

  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    // Two concurrent CREATE TABLE IF NOT EXISTS can both miss the table and one then fails on
    // pg_type's unique index, so the files take turns creating it.
    await admin.query("begin");
    await admin.query("select pg_advisory_xact_lock(hashtext('isolation_rendezvous'))");
    await admin.query("create table if not exists isolation_rendezvous (file text primary key)");
    await admin.query("commit");
    await admin.query("insert into isolation_rendezvous values ($1) on conflict do nothing", [me]);
    await waitFor(
      async () => ((await admin.query("select 1 from isolation_rendezvous where file = $1", [other])).rowCount ?? 0) > 0,
      `${other} to run alongside ${me} (are test files running in parallel?)`,
      45_000,
    );
  } finally {
    await admin.end();
  }

  const events = await db.selectFrom("webhook_events").select("payload").where("provider_event_id", "=", "evt_shared").execute();
  expect(events.map((e) => e.payload)).toEqual([{ writer: me }]);
  expect(await db.selectFrom("customers").select("id").where("external_id", "=", "shared-external-id").execute()).toHaveLength(1);
}
