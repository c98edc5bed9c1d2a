import { Action, Details, Paragraph } from "../../components/blocks.tsx";
import { Greeting } from "../../components/greeting.tsx";
import { defineTemplate } from "../../define-template.tsx";
import { defineCatalog } from "../../i18n/catalog.ts";
import { paymentReceiptProps } from "../../props/customer.ts";

const messages = defineCatalog({
  en: {
    subject: (v: { organization: string; amount: string }) => `Your receipt from ${v.organization}: ${v.amount}`,
    thanks: (v: { amount: string; organization: string }) => `We received your payment of ${v.amount} to ${v.organization}. Thank you!`,
    amount: "Amount paid",
    date: "Paid on",
    invoice: "Invoice",
    method: "Payment method",
    download: "Download your receipt (PDF)",
  },
  fr: {
    subject: (v) => `Reçu de votre paiement à ${v.organization} : ${v.amount}`,
    thanks: (v) => `Nous avons bien reçu votre paiement de ${v.amount} à ${v.organization}. Merci !`,
    amount: "Montant payé",
    date: "Payé le",
    invoice: "Facture",
    method: "Moyen de paiement",
    download: "Télécharger votre reçu (PDF)",
  },
});

export const paymentReceipt = defineTemplate({
  name: "payment-receipt",
  audience: "customer",
  schema: paymentReceiptProps,
  messages,
  subject: (p, { t, f }) => t.subject({ organization: p.organizationName, amount: f.money(p.amount) }),
  preview: (p, { t, f }) => t.thanks({ amount: f.money(p.amount), organization: p.organizationName }),
  body: (p, { t, f, language }) => (
    <>
      <Greeting language={language} name={p.customerName} />
      <Paragraph>{t.thanks({ amount: f.money(p.amount), organization: p.organizationName })}</Paragraph>
      <Details
        rows={[
          [t.amount, f.money(p.amount)],
          [t.date, f.date(p.paidAt)],
          [t.invoice, p.invoiceNumber],
          ...(p.paymentMethod ? [[t.method, `${p.paymentMethod.brand} •••• ${p.paymentMethod.last4}`] as const] : []),
        ]}
      />
      <Action href={p.receiptUrl}>{t.download}</Action>
    </>
  ),
  previewProps: {
    organizationName: "Acme Analytics",
    customerName: "Ada Lovelace",
    amount: { amount: 4900, currency: "USD" },
    paidAt: "2027-01-15T09:30:00Z",
    invoiceNumber: "ACME-2027-0042",
    paymentMethod: { brand: "Visa", last4: "4242" },
    receiptUrl: "https://files.paycron.example/receipts/ACME-2027-0042.pdf?expires=1800000000&sig=abc",
  },
});

export default paymentReceipt.Email;
