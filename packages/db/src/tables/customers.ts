import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type { Id, TimestampDefault } from "./columns.ts";

export interface CustomersTable {
  id: Id;
  organization_id: string;
  external_id: string;
  email: string;
  name: string | null;
  locale: Generated<string>;
  /** The billing address as printed on invoices, one line each. */
  address_lines: Generated<string[]>;
  stripe_customer_id: string | null;
  created_at: TimestampDefault;
  updated_at: TimestampDefault;
}
export type Customer = Selectable<CustomersTable>;
export type NewCustomer = Insertable<CustomersTable>;
export type CustomerUpdate = Updateable<CustomersTable>;
