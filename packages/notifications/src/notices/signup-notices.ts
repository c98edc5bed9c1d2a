import { emailKey } from "@paycron/email";
import type { NotificationDeps } from "../deps.ts";
import { toCustomer, type NoticeOrSkip } from "../notice.ts";
import { customerRow, organizationRow } from "../rows.ts";

async function signedUp(deps: NotificationDeps, customerId: string) {
  const customer = await customerRow(deps.db, customerId);
  return { customer, ...toCustomer(await organizationRow(deps.db, customer.organization_id), customer) };
}

export async function welcome(deps: NotificationDeps, payload: { customerId: string }): Promise<NoticeOrSkip<"welcome">> {
  const { customer, base, ...recipient } = await signedUp(deps, payload.customerId);
  return { template: "welcome", ...recipient, idempotencyKey: emailKey("welcome", customer.id, "signup"), props: { ...base, accountUrl: deps.links.account(customer.id) } };
}

export async function signupFollowUp(deps: NotificationDeps, payload: { customerId: string }): Promise<NoticeOrSkip<"signup-follow-up">> {
  const { customer, base, ...recipient } = await signedUp(deps, payload.customerId);
  return {
    template: "signup-follow-up",
    ...recipient,
    idempotencyKey: emailKey("signup-follow-up", customer.id, "24h"),
    props: { ...base, setupUrl: deps.links.account(customer.id) },
  };
}
