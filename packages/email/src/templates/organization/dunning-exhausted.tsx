import { Action, Details, Paragraph } from "../../components/blocks.tsx";
import { defineTemplate } from "../../define-template.tsx";
import { defineCatalog } from "../../i18n/catalog.ts";
import { orgDunningExhaustedProps } from "../../props/organization.ts";

/** Every scheduled retry of an invoice failed: no more automatic attempts, a person must decide. */
const messages = defineCatalog({
  en: {
    subject: (v: { customer: string; invoice: string }) => `Action needed: all payment attempts failed for ${v.customer} (${v.invoice})`,
    exhausted: (v: { attempts: string; amount: string; customer: string; invoice: string }) =>
      `All ${v.attempts} attempts to collect ${v.amount} from ${v.customer} for invoice ${v.invoice} failed. No further attempts will be made automatically.`,
    next: "Contact the customer, or decide what happens to the invoice and the subscription.",
    customer: "Customer",
    amount: "Amount outstanding",
    invoice: "Invoice",
    lastAttempt: "Last attempt",
    view: "Review the invoice",
  },
  fr: {
    subject: (v) => `Action requise : toutes les tentatives de paiement ont échoué pour ${v.customer} (${v.invoice})`,
    exhausted: (v) =>
      `Les ${v.attempts} tentatives d’encaisser ${v.amount} auprès de ${v.customer} pour la facture ${v.invoice} ont échoué. Aucune autre tentative automatique ne sera faite.`,
    next: "Contactez le client, ou décidez du sort de la facture et de l’abonnement.",
    customer: "Client",
    amount: "Montant impayé",
    invoice: "Facture",
    lastAttempt: "Dernière tentative",
    view: "Examiner la facture",
  },
});

export const orgDunningExhausted = defineTemplate({
  name: "org-dunning-exhausted",
  audience: "organization",
  schema: orgDunningExhaustedProps,
  messages,
  subject: (p, { t }) => t.subject({ customer: p.customer.name, invoice: p.invoiceNumber }),
  preview: (p, { t, f }) =>
    t.exhausted({ attempts: f.number(p.attempts), amount: f.money(p.amount), customer: p.customer.name, invoice: p.invoiceNumber }),
  body: (p, { t, f }) => (
    <>
      <Paragraph>
        {t.exhausted({ attempts: f.number(p.attempts), amount: f.money(p.amount), customer: p.customer.name, invoice: p.invoiceNumber })}
      </Paragraph>
      <Paragraph>{t.next}</Paragraph>
      <Details
        rows={[
          [t.customer, `${p.customer.name} <${p.customer.email}>`],
          [t.amount, f.money(p.amount)],
          [t.invoice, p.invoiceNumber],
          [t.lastAttempt, f.dateTime(p.lastAttemptAt)],
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
    attempts: 4,
    lastAttemptAt: "2027-01-29T09:00:00Z",
    invoiceUrl: "https://app.paycron.example/invoices/ACME-2027-0042",
  },
});

export default orgDunningExhausted.Email;
