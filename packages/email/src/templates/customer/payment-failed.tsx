import { Action, Details, Paragraph } from "../../components/blocks.tsx";
import { Greeting } from "../../components/greeting.tsx";
import { defineTemplate } from "../../define-template.tsx";
import { defineCatalog } from "../../i18n/catalog.ts";
import { paymentFailedProps } from "../../props/customer.ts";

const messages = defineCatalog({
  en: {
    subject: (v: { organization: string; amount: string }) => `Your payment of ${v.amount} to ${v.organization} failed`,
    failed: (v: { amount: string; invoice: string }) => `We could not collect ${v.amount} for invoice ${v.invoice}.`,
    retry: (v: { date: string }) => `We will try again on ${v.date}. To avoid an interruption, please check your card or add a new one before then.`,
    amount: "Amount due",
    invoice: "Invoice",
    nextAttempt: "Next attempt",
    update: "Update your payment method",
  },
  fr: {
    subject: (v) => `Votre paiement de ${v.amount} à ${v.organization} a échoué`,
    failed: (v) => `Nous n’avons pas pu encaisser ${v.amount} pour la facture ${v.invoice}.`,
    retry: (v) => `Nous réessaierons le ${v.date}. Pour éviter toute interruption, vérifiez votre carte ou ajoutez-en une nouvelle d’ici là.`,
    amount: "Montant dû",
    invoice: "Facture",
    nextAttempt: "Prochaine tentative",
    update: "Mettre à jour votre moyen de paiement",
  },
});

export const paymentFailed = defineTemplate({
  name: "payment-failed",
  audience: "customer",
  schema: paymentFailedProps,
  messages,
  subject: (p, { t, f }) => t.subject({ organization: p.organizationName, amount: f.money(p.amount) }),
  preview: (p, { t, f }) => t.failed({ amount: f.money(p.amount), invoice: p.invoiceNumber }),
  body: (p, { t, f, language }) => (
    <>
      <Greeting language={language} name={p.customerName} />
      <Paragraph>{t.failed({ amount: f.money(p.amount), invoice: p.invoiceNumber })}</Paragraph>
      <Paragraph>{t.retry({ date: f.date(p.nextRetryAt) })}</Paragraph>
      <Details
        rows={[
          [t.amount, f.money(p.amount)],
          [t.invoice, p.invoiceNumber],
          [t.nextAttempt, f.date(p.nextRetryAt)],
        ]}
      />
      <Action href={p.updatePaymentMethodUrl}>{t.update}</Action>
    </>
  ),
  previewProps: {
    organizationName: "Acme Analytics",
    customerName: "Ada Lovelace",
    amount: { amount: 4900, currency: "EUR" },
    invoiceNumber: "ACME-2027-0042",
    nextRetryAt: "2027-01-18T09:00:00Z",
    updatePaymentMethodUrl: "https://billing.acme.example/payment-method",
  },
});

export default paymentFailed.Email;
