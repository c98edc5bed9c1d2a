import { Action, Details, Paragraph } from "../../components/blocks.tsx";
import { defineTemplate } from "../../define-template.tsx";
import { defineCatalog } from "../../i18n/catalog.ts";
import { orgPaymentSucceededProps } from "../../props/organization.ts";

const messages = defineCatalog({
  en: {
    subject: (v: { amount: string; customer: string }) => `Payment received: ${v.amount} from ${v.customer}`,
    received: (v: { amount: string; customer: string; invoice: string }) => `${v.customer} paid ${v.amount} for invoice ${v.invoice}.`,
    customer: "Customer",
    amount: "Amount",
    invoice: "Invoice",
    paidAt: "Paid on",
    view: "View the invoice",
  },
  fr: {
    subject: (v) => `Paiement reçu : ${v.amount} de ${v.customer}`,
    received: (v) => `${v.customer} a payé ${v.amount} pour la facture ${v.invoice}.`,
    customer: "Client",
    amount: "Montant",
    invoice: "Facture",
    paidAt: "Payé le",
    view: "Voir la facture",
  },
});

export const orgPaymentSucceeded = defineTemplate({
  name: "org-payment-succeeded",
  audience: "organization",
  schema: orgPaymentSucceededProps,
  messages,
  subject: (p, { t, f }) => t.subject({ amount: f.money(p.amount), customer: p.customer.name }),
  preview: (p, { t, f }) => t.received({ amount: f.money(p.amount), customer: p.customer.name, invoice: p.invoiceNumber }),
  body: (p, { t, f }) => (
    <>
      <Paragraph>{t.received({ amount: f.money(p.amount), customer: p.customer.name, invoice: p.invoiceNumber })}</Paragraph>
      <Details
        rows={[
          [t.customer, `${p.customer.name} <${p.customer.email}>`],
          [t.amount, f.money(p.amount)],
          [t.invoice, p.invoiceNumber],
          [t.paidAt, f.dateTime(p.paidAt)],
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
    paidAt: "2027-01-15T09:30:00Z",
    invoiceUrl: "https://app.paycron.example/invoices/ACME-2027-0042",
  },
});

export default orgPaymentSucceeded.Email;
