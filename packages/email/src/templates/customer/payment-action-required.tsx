import { Action, Details, Paragraph } from "../../components/blocks.tsx";
import { Greeting } from "../../components/greeting.tsx";
import { defineTemplate } from "../../define-template.tsx";
import { defineCatalog } from "../../i18n/catalog.ts";
import { paymentActionRequiredProps } from "../../props/customer.ts";

/** The bank asks the customer to confirm the payment (3-D Secure); nothing is charged until they do. */
const messages = defineCatalog({
  en: {
    subject: (v: { organization: string; amount: string }) => `Please confirm your payment of ${v.amount} to ${v.organization}`,
    ask: (v: { amount: string; invoice: string }) => `Your bank needs you to confirm the payment of ${v.amount} for invoice ${v.invoice}.`,
    why: "This extra step protects your card. Nothing is charged until you confirm.",
    amount: "Amount",
    invoice: "Invoice",
    confirm: "Confirm the payment",
  },
  fr: {
    subject: (v) => `Merci de confirmer votre paiement de ${v.amount} à ${v.organization}`,
    ask: (v) => `Votre banque vous demande de confirmer le paiement de ${v.amount} pour la facture ${v.invoice}.`,
    why: "Cette étape supplémentaire protège votre carte. Rien n’est débité tant que vous n’avez pas confirmé.",
    amount: "Montant",
    invoice: "Facture",
    confirm: "Confirmer le paiement",
  },
});

export const paymentActionRequired = defineTemplate({
  name: "payment-action-required",
  audience: "customer",
  schema: paymentActionRequiredProps,
  messages,
  subject: (p, { t, f }) => t.subject({ organization: p.organizationName, amount: f.money(p.amount) }),
  preview: (p, { t, f }) => t.ask({ amount: f.money(p.amount), invoice: p.invoiceNumber }),
  body: (p, { t, f, language }) => (
    <>
      <Greeting language={language} name={p.customerName} />
      <Paragraph>{t.ask({ amount: f.money(p.amount), invoice: p.invoiceNumber })}</Paragraph>
      <Paragraph>{t.why}</Paragraph>
      <Details
        rows={[
          [t.amount, f.money(p.amount)],
          [t.invoice, p.invoiceNumber],
        ]}
      />
      <Action href={p.authenticateUrl}>{t.confirm}</Action>
    </>
  ),
  previewProps: {
    organizationName: "Acme Analytics",
    customerName: "Ada Lovelace",
    amount: { amount: 12000, currency: "EUR" },
    invoiceNumber: "ACME-2027-0043",
    authenticateUrl: "https://billing.acme.example/authenticate/pi_123",
  },
});

export default paymentActionRequired.Email;
