import { Action, Details, Paragraph } from "../../components/blocks.tsx";
import { defineTemplate } from "../../define-template.tsx";
import { defineCatalog } from "../../i18n/catalog.ts";
import { orgPaymentFailedProps } from "../../props/organization.ts";

const messages = defineCatalog({
  en: {
    subject: (v: { amount: string; customer: string }) => `Payment failed: ${v.amount} from ${v.customer}`,
    failed: (v: { amount: string; customer: string; invoice: string; attempt: string }) =>
      `Attempt ${v.attempt} to collect ${v.amount} from ${v.customer} for invoice ${v.invoice} failed.`,
    retry: (v: { date: string }) => `The next attempt is on ${v.date}. The customer has been asked to update their payment method.`,
    customer: "Customer",
    amount: "Amount",
    invoice: "Invoice",
    reason: "Reason",
    nextAttempt: "Next attempt",
    view: "View the invoice",
  },
  fr: {
    subject: (v) => `Échec de paiement : ${v.amount} de ${v.customer}`,
    failed: (v) => `La tentative n° ${v.attempt} d’encaisser ${v.amount} auprès de ${v.customer} pour la facture ${v.invoice} a échoué.`,
    retry: (v) => `La prochaine tentative aura lieu le ${v.date}. Le client a été invité à mettre à jour son moyen de paiement.`,
    customer: "Client",
    amount: "Montant",
    invoice: "Facture",
    reason: "Motif",
    nextAttempt: "Prochaine tentative",
    view: "Voir la facture",
  },
});

export const orgPaymentFailed = defineTemplate({
  name: "org-payment-failed",
  audience: "organization",
  schema: orgPaymentFailedProps,
  messages,
  subject: (p, { t, f }) => t.subject({ amount: f.money(p.amount), customer: p.customer.name }),
  preview: (p, { t, f }) =>
    t.failed({ amount: f.money(p.amount), customer: p.customer.name, invoice: p.invoiceNumber, attempt: f.number(p.attempt) }),
  body: (p, { t, f }) => (
    <>
      <Paragraph>
        {t.failed({ amount: f.money(p.amount), customer: p.customer.name, invoice: p.invoiceNumber, attempt: f.number(p.attempt) })}
      </Paragraph>
      <Paragraph>{t.retry({ date: f.dateTime(p.nextRetryAt) })}</Paragraph>
      <Details
        rows={[
          [t.customer, `${p.customer.name} <${p.customer.email}>`],
          [t.amount, f.money(p.amount)],
          [t.invoice, p.invoiceNumber],
          ...(p.failureReason ? [[t.reason, p.failureReason] as const] : []),
          [t.nextAttempt, f.dateTime(p.nextRetryAt)],
        ]}
      />
      <Action href={p.invoiceUrl}>{t.view}</Action>
    </>
  ),
  previewProps: {
    organizationName: "Acme Analytics",
    customer: { name: "Ada Lovelace", email: "ada@example.com" },
    amount: { amount: 4900, currency: "USD" },
    invoiceNumber: "ACME-2027-0042",
    attempt: 1,
    failureReason: "insufficient_funds",
    nextRetryAt: "2027-01-18T09:00:00Z",
    invoiceUrl: "https://app.paycron.example/invoices/ACME-2027-0042",
  },
});

export default orgPaymentFailed.Email;
