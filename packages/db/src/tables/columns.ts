import type { ColumnType, Generated } from "kysely";

/** Integer minor units (cents). bigint in Postgres, parsed to a safe integer number (see pool.ts). */
export type Money = ColumnType<number, number, number>;
export type MoneyDefault = ColumnType<number, number | undefined, number>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type TimestampDefault = ColumnType<Date, Date | string | undefined, Date | string>;
export type Json<T = unknown> = ColumnType<T, string, string>;
export type Id = Generated<string>;
