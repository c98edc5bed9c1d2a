import { Action, Details, Paragraph } from "../../components/blocks.tsx";
import { Greeting } from "../../components/greeting.tsx";
import { defineTemplate } from "../../define-template.tsx";
import { defineCatalog } from "../../i18n/catalog.ts";
import { subscriptionCreatedProps } from "../../props/customer.ts";
import { intervalLabels } from "../../i18n/interval-labels.ts";

const messages = defineCatalog({
  en: {
    subject: (v: { plan: string; organization: string }) => `Welcome to ${v.plan} at ${v.organization}`,
    started: (v: { plan: string; date: string }) => `Your ${v.plan} subscription started on ${v.date}.`,
    plan: "Plan",
    price: "Price",
    nextBilling: "Next billing date",
    manage: "Manage your subscription",
  },
  fr: {
    subject: (v) => `Bienvenue dans l’offre ${v.plan} de ${v.organization}`,
    started: (v) => `Votre abonnement ${v.plan} a commencé le ${v.date}.`,
    plan: "Offre",
    price: "Prix",
    nextBilling: "Prochaine facturation",
    manage: "Gérer votre abonnement",
  },
});

export const subscriptionCreated = defineTemplate({
  name: "subscription-created",
  audience: "customer",
  schema: subscriptionCreatedProps,
  messages,
  subject: (p, { t }) => t.subject({ plan: p.planName, organization: p.organizationName }),
  preview: (p, { t, f }) => t.started({ plan: p.planName, date: f.date(p.startedAt) }),
  body: (p, { t, f, language }) => (
    <>
      <Greeting language={language} name={p.customerName} />
      <Paragraph>{t.started({ plan: p.planName, date: f.date(p.startedAt) })}</Paragraph>
      <Details
        rows={[
          [t.plan, p.planName],
          [t.price, `${f.money(p.price)} ${intervalLabels[language][p.interval]}`],
          [t.nextBilling, f.date(p.nextBillingAt)],
        ]}
      />
      <Action href={p.manageUrl}>{t.manage}</Action>
    </>
  ),
  previewProps: {
    organizationName: "Acme Analytics",
    customerName: "Ada Lovelace",
    planName: "Pro",
    price: { amount: 4900, currency: "USD" },
    interval: "month",
    startedAt: "2027-01-15T09:30:00Z",
    nextBillingAt: "2027-02-15T09:30:00Z",
    manageUrl: "https://billing.acme.example/subscription",
  },
});

export default subscriptionCreated.Email;
