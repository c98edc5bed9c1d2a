import { Action, Details, Paragraph } from "../../components/blocks.tsx";
import { Greeting } from "../../components/greeting.tsx";
import { defineTemplate } from "../../define-template.tsx";
import { defineCatalog } from "../../i18n/catalog.ts";
import { usageLimitReachedProps } from "../../props/customer.ts";

const messages = defineCatalog({
  en: {
    subject: (v: { meter: string }) => `You have reached your ${v.meter} limit`,
    reached: (v: { limit: string; meter: string; date: string }) =>
      `You have used all ${v.limit} ${v.meter} included in your plan. The allowance resets on ${v.date}.`,
    advice: "Upgrade your plan to keep going without waiting.",
    limit: "Included",
    resets: "Resets on",
    upgrade: "Upgrade your plan",
  },
  fr: {
    subject: (v) => `Vous avez atteint votre limite de ${v.meter}`,
    reached: (v) => `Vous avez utilisé les ${v.limit} ${v.meter} inclus dans votre offre. Le quota sera remis à zéro le ${v.date}.`,
    advice: "Passez à une offre supérieure pour continuer sans attendre.",
    limit: "Inclus",
    resets: "Remise à zéro le",
    upgrade: "Changer d’offre",
  },
});

export const usageLimitReached = defineTemplate({
  name: "usage-limit-reached",
  audience: "customer",
  schema: usageLimitReachedProps,
  messages,
  subject: (p, { t }) => t.subject({ meter: p.meterName }),
  preview: (p, { t, f }) => t.reached({ limit: f.number(p.limit), meter: p.meterName, date: f.date(p.periodEndsAt) }),
  body: (p, { t, f, language }) => (
    <>
      <Greeting language={language} name={p.customerName} />
      <Paragraph>{t.reached({ limit: f.number(p.limit), meter: p.meterName, date: f.date(p.periodEndsAt) })}</Paragraph>
      <Paragraph>{t.advice}</Paragraph>
      <Details
        rows={[
          [t.limit, f.number(p.limit)],
          [t.resets, f.date(p.periodEndsAt)],
        ]}
      />
      <Action href={p.upgradeUrl}>{t.upgrade}</Action>
    </>
  ),
  previewProps: {
    organizationName: "Acme Analytics",
    customerName: "Ada Lovelace",
    meterName: "API calls",
    limit: 100_000,
    periodEndsAt: "2027-02-01T00:00:00Z",
    upgradeUrl: "https://billing.acme.example/plans",
  },
});

export default usageLimitReached.Email;
