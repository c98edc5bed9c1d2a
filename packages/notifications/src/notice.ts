import type { Customer, Organization } from "@paycron/db";
import type { TemplateName, TemplateProps } from "@paycron/email";

/** One email to send: whom, in which language and zone, under which occurrence key. */
export interface Notice<N extends TemplateName = TemplateName> {
  template: N;
  to: string;
  locale: string;
  timeZone: string;
  /** emailKey(template, entity, occurrence): at most one email per key, ever. */
  idempotencyKey: string;
  props: TemplateProps<N>;
}

/** An email that no longer applies when its task runs (the invoice got paid meanwhile, …). */
export interface Skip {
  skip: string;
}

export type NoticeOrSkip<N extends TemplateName = TemplateName> = Notice<N> | Skip;

export const skip = (reason: string): Skip => ({ skip: reason });

/** A customer's email: to them, in their language, dated in the organization's zone, and the props every customer template starts with. */
export function toCustomer(organization: Pick<Organization, "name" | "timezone">, customer: Pick<Customer, "email" | "locale" | "name">) {
  return {
    to: customer.email,
    locale: customer.locale,
    timeZone: organization.timezone,
    base: { organizationName: organization.name, ...(customer.name ? { customerName: customer.name } : {}) },
  };
}

/** What templates print for an organization's customer: a name, or the address when there is none. */
export function customerRef(customer: { name: string | null; email: string }) {
  return { name: customer.name ?? customer.email, email: customer.email };
}

export const iso = (date: Date) => date.toISOString();
