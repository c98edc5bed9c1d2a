import { Action, Paragraph } from "../../components/blocks.tsx";
import { Greeting } from "../../components/greeting.tsx";
import { defineTemplate } from "../../define-template.tsx";
import { defineCatalog } from "../../i18n/catalog.ts";
import { cancellationScheduledProps } from "../../props/customer.ts";

const messages = defineCatalog({
  en: {
    subject: (v: { plan: string; date: string }) => `Your ${v.plan} subscription will end on ${v.date}`,
    scheduled: (v: { plan: string; date: string }) =>
      `As requested, your ${v.plan} subscription will be canceled on ${v.date}. Until then, nothing changes and you will not be charged again.`,
    changedMind: "Changed your mind? You can keep your subscription at any time before that date.",
    keep: "Keep my subscription",
  },
  fr: {
    subject: (v) => `Votre abonnement ${v.plan} prendra fin le ${v.date}`,
    scheduled: (v) =>
      `Comme demandé, votre abonnement ${v.plan} sera résilié le ${v.date}. D’ici là, rien ne change et vous ne serez plus débité.`,
    changedMind: "Vous avez changé d’avis ? Vous pouvez conserver votre abonnement à tout moment avant cette date.",
    keep: "Conserver mon abonnement",
  },
});

export const cancellationScheduled = defineTemplate({
  name: "cancellation-scheduled",
  audience: "customer",
  schema: cancellationScheduledProps,
  messages,
  subject: (p, { t, f }) => t.subject({ plan: p.planName, date: f.date(p.effectiveAt) }),
  preview: (p, { t, f }) => t.scheduled({ plan: p.planName, date: f.date(p.effectiveAt) }),
  body: (p, { t, f, language }) => (
    <>
      <Greeting language={language} name={p.customerName} />
      <Paragraph>{t.scheduled({ plan: p.planName, date: f.date(p.effectiveAt) })}</Paragraph>
      <Paragraph>{t.changedMind}</Paragraph>
      <Action href={p.manageUrl}>{t.keep}</Action>
    </>
  ),
  previewProps: {
    organizationName: "Acme Analytics",
    customerName: "Ada Lovelace",
    planName: "Pro",
    effectiveAt: "2027-02-15T09:30:00Z",
    manageUrl: "https://billing.acme.example/subscription",
  },
});

export default cancellationScheduled.Email;
