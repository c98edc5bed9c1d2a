import { sql, type RawBuilder } from "kysely";

/*
 * Lists are newest first by (time, id). A cursor is the last row's time as Postgres prints it,
 * to the microsecond (a JavaScript Date would drop microseconds and skip rows), and its id.
 */
export function cursorAt(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export function encodeCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`).toString("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeCursor(cursor: string | undefined): { at: string; id: string } | undefined {
  if (!cursor) return undefined;
  const [at, id] = Buffer.from(cursor, "base64url").toString().split("|");
  if (!at || !id || !UUID.test(id) || Number.isNaN(Date.parse(at))) return undefined;
  return { at, id };
}

export const isUuid = (text: string) => UUID.test(text);
