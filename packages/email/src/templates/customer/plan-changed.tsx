import { Action, Details, Paragraph } from "../../components/blocks.tsx";
import { Greeting } from "../../components/greeting.tsx";
import { defineTemplate } from "../../define-template.tsx";
import { defineCatalog } from "../../i18n/catalog.ts";
import { planChangedProps } from "../../props/customer.ts";
import { intervalLabels } from "../../i18n/interval-labels.ts";

const messages = defineCatalog({
  en: {
    subject: (v: { from: string; to: string }) => `Your plan changed from ${v.from} to ${v.to}`,
    changed: (v: { from: string; to: string; date: string }) => `Your subscription moves from ${v.from} to ${v.to} on ${v.date}.`,
    previous: "Previous plan",
    next: "New plan",
    price: "New price",
    effective: "Effective",
    manage: "Manage your subscription",
  },
  fr: {
    subject: (v) => `Votre offre est passée de ${v.from} à ${v.to}`,
    changed: (v) => `Votre abonnement passe de ${v.from} à ${v.to} le ${v.date}.`,
    previous: "Ancienne offre",
    next: "Nouvelle offre",
    price: "Nouveau prix",
    effective: "À partir du",
    manage: "Gérer votre abonnement",
  },
});

export const planChanged = defineTemplate({
  name: "plan-changed",
  audience: "customer",
  schema: planChangedProps,
  messages,
  subject: (p, { t }) => t.subject({ from: p.fromPlan, to: p.toPlan }),
  preview: (p, { t, f }) => t.changed({ from: p.fromPlan, to: p.toPlan, date: f.date(p.effectiveAt) }),
  body: (p, { t, f, language }) => (
    <>
      <Greeting language={language} name={p.customerName} />
      <Paragraph>{t.changed({ from: p.fromPlan, to: p.toPlan, date: f.date(p.effectiveAt) })}</Paragraph>
      <Details
        rows={[
          [t.previous, p.fromPlan],
          [t.next, p.toPlan],
          [t.price, `${f.money(p.price)} ${intervalLabels[language][p.interval]}`],
          [t.effective, f.date(p.effectiveAt)],
        ]}
      />
      <Action href={p.manageUrl}>{t.manage}</Action>
    </>
  ),
  previewProps: {
    organizationName: "Acme Analytics",
    customerName: "Ada Lovelace",
    fromPlan: "Starter",
    toPlan: "Pro",
    price: { amount: 4900, currency: "USD" },
    interval: "month",
    effectiveAt: "2027-01-20T00:00:00Z",
    manageUrl: "https://billing.acme.example/subscription",
  },
});

export default planChanged.Email;
