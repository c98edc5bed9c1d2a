import { Action, Details, Paragraph } from "../../components/blocks.tsx";
import { Greeting } from "../../components/greeting.tsx";
import { defineTemplate } from "../../define-template.tsx";
import { defineCatalog } from "../../i18n/catalog.ts";
import { usageThresholdProps } from "../../props/customer.ts";

const messages = defineCatalog({
  en: {
    subject: (v: { percent: string; meter: string }) => `You have used ${v.percent} of your ${v.meter}`,
    used: (v: { used: string; limit: string; meter: string; date: string }) =>
      `You have used ${v.used} of the ${v.limit} ${v.meter} included in your plan for the period ending ${v.date}.`,
    advice: "To avoid reaching the limit, you can upgrade your plan now.",
    usage: "Used",
    limit: "Included",
    resets: "Resets on",
    upgrade: "See plans",
  },
  fr: {
    subject: (v) => `Vous avez utilisé ${v.percent} de vos ${v.meter}`,
    used: (v) => `Vous avez utilisé ${v.used} des ${v.limit} ${v.meter} inclus dans votre offre pour la période qui se termine le ${v.date}.`,
    advice: "Pour ne pas atteindre la limite, vous pouvez passer dès maintenant à une offre supérieure.",
    usage: "Utilisé",
    limit: "Inclus",
    resets: "Remise à zéro le",
    upgrade: "Voir les offres",
  },
});

/** Usage crossed a share of the plan's allowance (80 % in the reminder billing sends). */
export const usageThreshold = defineTemplate({
  name: "usage-threshold",
  audience: "customer",
  schema: usageThresholdProps,
  messages,
  subject: (p, { t, f }) => t.subject({ percent: f.percent(p.used / p.limit), meter: p.meterName }),
  preview: (p, { t, f }) => t.used({ used: f.number(p.used), limit: f.number(p.limit), meter: p.meterName, date: f.date(p.periodEndsAt) }),
  body: (p, { t, f, language }) => (
    <>
      <Greeting language={language} name={p.customerName} />
      <Paragraph>{t.used({ used: f.number(p.used), limit: f.number(p.limit), meter: p.meterName, date: f.date(p.periodEndsAt) })}</Paragraph>
      <Paragraph>{t.advice}</Paragraph>
      <Details
        rows={[
          [t.usage, `${f.number(p.used)} (${f.percent(p.used / p.limit)})`],
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
    used: 80_000,
    limit: 100_000,
    periodEndsAt: "2027-02-01T00:00:00Z",
    upgradeUrl: "https://billing.acme.example/plans",
  },
});

export default usageThreshold.Email;
