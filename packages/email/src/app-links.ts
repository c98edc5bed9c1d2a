import { z } from "zod";

/**
 * Where an email sends its reader: pages of the SaaS that uses Paycron (its billing portal, its
 * admin), under APP_URL. Paycron renders the links, it does not serve them.
 */
export interface AppLinks {
  manageSubscription(subscriptionId: string): string;
  updatePaymentMethod(customerId: string): string;
  authenticatePayment(paymentId: string): string;
  account(customerId: string): string;
  invoice(invoiceId: string): string;
  dispute(paymentId: string): string;
}

export const appUrlSchema = z.url({ protocol: /^https?$/, error: "APP_URL must be an http(s) URL, the address of the app whose billing pages the emails link to" });

export function appLinks(appUrl: string): AppLinks {
  const base = appUrlSchema.parse(appUrl).replace(/\/+$/, "");
  const at = (path: string) => `${base}${path}`;
  return {
    manageSubscription: (id) => at(`/billing/subscriptions/${id}`),
    updatePaymentMethod: (id) => at(`/billing/customers/${id}/payment-method`),
    authenticatePayment: (id) => at(`/billing/payments/${id}/authenticate`),
    account: (id) => at(`/billing/customers/${id}`),
    invoice: (id) => at(`/admin/invoices/${id}`),
    dispute: (id) => at(`/admin/payments/${id}/dispute`),
  };
}
