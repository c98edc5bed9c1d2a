import { sql, type RawBuilder } from "kysely";
import type { Db } from "@paycron/db";

export interface InvariantResult {
  ok: boolean;
  violations: number;
  /** A few offending rows, described well enough to find them (ids, numbers), sorted. */
  examples: string[];
}

/** One invariant: a set-based query yielding one row per violation, with an `example` text column. */
export type ViolationQuery = (now: Date) => RawBuilder<{ example: string }>;

const EXAMPLES = 5;

/** Counts the query's rows in the database and keeps the first few, in a stable order. */
export async function countViolations(db: Db, query: RawBuilder<{ example: string }>): Promise<InvariantResult> {
  const { rows } = await sql<{ violations: number; examples: string[] | null }>`
    select count(*)::int as violations,
           (array_agg(v.example order by v.example))[1:${sql.lit(EXAMPLES)}] as examples
    from (${query}) as v`.execute(db);
  const row = rows[0]!;
  return { ok: row.violations === 0, violations: row.violations, examples: row.examples ?? [] };
}
