import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, createPool, type Db } from "../src/index.ts";
import { useTestDb } from "../src/testing/index.ts";

const t = useTestDb();

/*
 * createPool sends statements with parameters as prepared statements (one connection here, so
 * every query meets the statements the earlier ones prepared).
 */
describe("prepared statements", () => {
  let db: Db;
  beforeAll(async () => {
    db = createDb(createPool({ connectionString: t.url, max: 1 }));
    await sql`create table prepared_probe (id int primary key, a text)`.execute(db);
    await sql`insert into prepared_probe values (1, 'one'), (2, 'two')`.execute(db);
  });
  afterAll(async () => {
    await db.destroy();
  });

  const probe = (id: number, on: Db = db) => sql<{ id: number; a: string; b?: string }>`select * from prepared_probe where id = ${id}`.execute(on);
  const preparedOnConnection = async () =>
    (await sql<{ statement: string }>`select statement from pg_prepared_statements where statement like ${"%from prepared_probe where id = $1%"}`.execute(db)).rows.length;

  it("prepares a statement with parameters once per connection and reuses it", async () => {
    expect((await probe(1)).rows).toEqual([{ id: 1, a: "one" }]);
    expect((await probe(2)).rows).toEqual([{ id: 2, a: "two" }]);
    expect(await preparedOnConnection()).toBe(1);
  });

  it("leaves a statement without parameters unnamed", async () => {
    await sql`select count(*) from prepared_probe`.execute(db);
    const { rows } = await sql<{ n: string }>`select count(*) as n from pg_prepared_statements where statement like ${"select count(*) from prepared_probe%"}`.execute(db);
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it("survives a migration that changes the columns of a prepared select *: retried at once outside a transaction", async () => {
    await probe(1);
    await sql`alter table prepared_probe add column b text default 'new'`.execute(db);
    expect((await probe(1)).rows).toEqual([{ id: 1, a: "one", b: "new" }]);
  });

  it("inside a transaction the error stands once (the transaction is aborted) and the next try succeeds", async () => {
    await probe(2);
    await sql`alter table prepared_probe drop column b`.execute(db);
    await expect(db.transaction().execute((tx) => probe(2, tx))).rejects.toThrow("cached plan must not change result type");
    expect((await db.transaction().execute((tx) => probe(2, tx))).rows).toEqual([{ id: 2, a: "two" }]);
  });
});
