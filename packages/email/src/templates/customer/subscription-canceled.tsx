import { Action, Paragraph } from "../../components/blocks.tsx";
import { Greeting } from "../../components/greeting.tsx";
import { defineTemplate } from "../../define-template.tsx";
import { defineCatalog } from "../../i18n/catalog.ts";
import { subscriptionCanceledProps } from "../../props/customer.ts";

const messages = defineCatalog({
  en: {
    subject: (v: { plan: string }) => `Your ${v.plan} subscription has been canceled`,
    canceled: (v: { plan: string; organization: string; date: string }) =>
      `Your ${v.plan} subscription with ${v.organization} ended on ${v.date}. You will not be charged again.`,
    comeBack: "We would be glad to have you back whenever you like.",
    resubscribe: "Subscribe again",
  },
  fr: {
    subject: (v) => `Votre abonnement ${v.plan} a été résilié`,
    canceled: (v) => `Votre abonnement ${v.plan} chez ${v.organization} a pris fin le ${v.date}. Vous ne serez plus débité.`,
    comeBack: "Nous serions ravis de vous revoir quand vous le souhaitez.",
    resubscribe: "Se réabonner",
  },
});

export const subscriptionCanceled = defineTemplate({
  name: "subscription-canceled",
  audience: "customer",
  schema: subscriptionCanceledProps,
  messages,
  subject: (p, { t }) => t.subject({ plan: p.planName }),
  preview: (p, { t, f }) => t.canceled({ plan: p.planName, organization: p.organizationName, date: f.date(p.canceledAt) }),
  body: (p, { t, f, language }) => (
    <>
      <Greeting language={language} name={p.customerName} />
      <Paragraph>{t.canceled({ plan: p.planName, organization: p.organizationName, date: f.date(p.canceledAt) })}</Paragraph>
      <Paragraph>{t.comeBack}</Paragraph>
      <Action href={p.resubscribeUrl}>{t.resubscribe}</Action>
    </>
  ),
  previewProps: {
    organizationName: "Acme Analytics",
    customerName: "Ada Lovelace",
    planName: "Pro",
    canceledAt: "2027-02-15T09:30:00Z",
    resubscribeUrl: "https://billing.acme.example/plans",
  },
});

export default subscriptionCanceled.Email;
