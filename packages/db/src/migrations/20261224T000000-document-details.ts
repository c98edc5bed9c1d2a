import { type Kysely, sql } from "kysely";

/*
 * What an invoice PDF prints and a billing email needs that the schema did not hold: the
 * organization's billing email (where its own notifications go, and printed on its invoices), its
 * postal address and an invoice footer; the customer's billing address. Addresses are lines as
 * printed, since their shape differs by country and nothing computes with them.
 *
 * `pdf_version` / `receipt_version`: the invoice's version (its updated_at, as text) the stored
 * document was rendered from, so a document task that finds it current renders nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table organizations
      add column billing_email text check (position('@' in billing_email) > 1),
      add column address_lines text[] not null default '{}',
      add column invoice_footer text check (length(invoice_footer) between 1 and 500);
    alter table customers
      add column address_lines text[] not null default '{}';
    alter table invoices
      add column pdf_version text,
      add column receipt_version text;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table invoices drop column if exists receipt_version, drop column if exists pdf_version;
    alter table customers drop column if exists address_lines;
    alter table organizations drop column if exists invoice_footer, drop column if exists address_lines, drop column if exists billing_email;
  `.execute(db);
}
