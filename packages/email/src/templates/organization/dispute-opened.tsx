import { Action, Details, Paragraph } from "../../components/blocks.tsx";
import { defineTemplate } from "../../define-template.tsx";
import { defineCatalog } from "../../i18n/catalog.ts";
import { orgDisputeOpenedProps } from "../../props/organization.ts";

const messages = defineCatalog({
  en: {
    subject: (v: { amount: string; customer: string }) => `Dispute opened: ${v.amount} from ${v.customer}`,
    opened: (v: { customer: string; amount: string }) => `${v.customer} disputed a payment of ${v.amount} with their bank. The amount has been withdrawn pending the outcome.`,
    deadline: (v: { date: string }) => `Submit your evidence before ${v.date}, or the dispute will be lost.`,
    customer: "Customer",
    amount: "Disputed amount",
    reason: "Reason given",
    dueBy: "Evidence due by",
    respond: "Respond to the dispute",
  },
  fr: {
    subject: (v) => `Litige ouvert : ${v.amount} de ${v.customer}`,
    opened: (v) => `${v.customer} a contesté un paiement de ${v.amount} auprès de sa banque. Le montant a été retenu en attendant l’issue du litige.`,
    deadline: (v) => `Envoyez vos justificatifs avant le ${v.date}, sinon le litige sera perdu.`,
    customer: "Client",
    amount: "Montant contesté",
    reason: "Motif invoqué",
    dueBy: "Justificatifs à fournir avant le",
    respond: "Répondre au litige",
  },
});

export const orgDisputeOpened = defineTemplate({
  name: "org-dispute-opened",
  audience: "organization",
  schema: orgDisputeOpenedProps,
  messages,
  subject: (p, { t, f }) => t.subject({ amount: f.money(p.amount), customer: p.customer.name }),
  preview: (p, { t, f }) => t.opened({ customer: p.customer.name, amount: f.money(p.amount) }),
  body: (p, { t, f }) => (
    <>
      <Paragraph>{t.opened({ customer: p.customer.name, amount: f.money(p.amount) })}</Paragraph>
      <Paragraph>{t.deadline({ date: f.dateTime(p.evidenceDueBy) })}</Paragraph>
      <Details
        rows={[
          [t.customer, `${p.customer.name} <${p.customer.email}>`],
          [t.amount, f.money(p.amount)],
          [t.reason, p.reason],
          [t.dueBy, f.dateTime(p.evidenceDueBy)],
        ]}
      />
      <Action href={p.disputeUrl}>{t.respond}</Action>
    </>
  ),
  previewProps: {
    organizationName: "Acme Analytics",
    customer: { name: "Ada Lovelace", email: "ada@example.com" },
    amount: { amount: 4900, currency: "USD" },
    reason: "product_not_received",
    evidenceDueBy: "2027-02-05T23:59:59Z",
    disputeUrl: "https://app.paycron.example/disputes/dp_123",
  },
});

export default orgDisputeOpened.Email;
