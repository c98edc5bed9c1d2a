import { emailKey } from "@paycron/email";
import type { NotificationDeps } from "../deps.ts";
import type { NoticeOrSkip } from "../notice.ts";
import { customerRow, organizationRow } from "../rows.ts";

async function toCustomer(deps: NotificationDeps, customerId: string) {
  const customer = await customerRow(deps.db, customerId);
  const organization = await organizationRow(deps.db, customer.organization_id);
  return {
    customer,
    to: customer.email,
    locale: customer.locale,
    timeZone: organization.timezone,
    base: { organizationName: organization.name, ...(customer.name ? { customerName: customer.name } : {}) },
  };
}

export async function welcome(deps: NotificationDeps, payload: { customerId: string }): Promise<NoticeOrSkip<"welcome">> {
  const { customer, base, ...recipient } = await toCustomer(deps, payload.customerId);
  return { template: "welcome", ...recipient, idempotencyKey: emailKey("welcome", customer.id, "signup"), props: { ...base, accountUrl: deps.links.account(customer.id) } };
}

export async function signupFollowUp(deps: NotificationDeps, payload: { customerId: string }): Promise<NoticeOrSkip<"signup-follow-up">> {
  const { customer, base, ...recipient } = await toCustomer(deps, payload.customerId);
  return {
    template: "signup-follow-up",
    ...recipient,
    idempotencyKey: emailKey("signup-follow-up", customer.id, "24h"),
    props: { ...base, setupUrl: deps.links.account(customer.id) },
  };
}
