import { Action, Details, Paragraph } from "../../components/blocks.tsx";
import { Greeting } from "../../components/greeting.tsx";
import { defineTemplate } from "../../define-template.tsx";
import { defineCatalog } from "../../i18n/catalog.ts";
import { trialEndingProps } from "../../props/customer.ts";
import { intervalLabels } from "../../i18n/interval-labels.ts";

const messages = defineCatalog({
  en: {
    subjectToday: (v: { plan: string }) => `Your ${v.plan} trial ends today`,
    subjectTomorrow: (v: { plan: string }) => `Your ${v.plan} trial ends tomorrow`,
    subjectInDays: (v: { plan: string; days: string }) => `Your ${v.plan} trial ends in ${v.days} days`,
    ends: (v: { plan: string; date: string }) => `Your free trial of ${v.plan} ends on ${v.date}.`,
    then: (v: { price: string }) => `After that, your subscription continues at ${v.price}, charged to your payment method on file.`,
    plan: "Plan",
    trialEnds: "Trial ends",
    price: "Price after the trial",
    manage: "Manage your subscription",
  },
  fr: {
    subjectToday: (v) => `Votre essai de ${v.plan} se termine aujourd’hui`,
    subjectTomorrow: (v) => `Votre essai de ${v.plan} se termine demain`,
    subjectInDays: (v) => `Votre essai de ${v.plan} se termine dans ${v.days} jours`,
    ends: (v) => `Votre essai gratuit de ${v.plan} se termine le ${v.date}.`,
    then: (v) => `Ensuite, votre abonnement continue au prix de ${v.price}, débité sur votre moyen de paiement enregistré.`,
    plan: "Offre",
    trialEnds: "Fin de l’essai",
    price: "Prix après l’essai",
    manage: "Gérer votre abonnement",
  },
});

export const trialEnding = defineTemplate({
  name: "trial-ending",
  audience: "customer",
  schema: trialEndingProps,
  messages,
  subject: (p, { t, f }) =>
    p.daysLeft === 0
      ? t.subjectToday({ plan: p.planName })
      : p.daysLeft === 1
        ? t.subjectTomorrow({ plan: p.planName })
        : t.subjectInDays({ plan: p.planName, days: f.number(p.daysLeft) }),
  preview: (p, { t, f }) => t.ends({ plan: p.planName, date: f.date(p.trialEndsAt) }),
  body: (p, { t, f, language }) => {
    const price = `${f.money(p.price)} ${intervalLabels[language][p.interval]}`;
    return (
      <>
        <Greeting language={language} name={p.customerName} />
        <Paragraph>{t.ends({ plan: p.planName, date: f.date(p.trialEndsAt) })}</Paragraph>
        <Paragraph>{t.then({ price })}</Paragraph>
        <Details
          rows={[
            [t.plan, p.planName],
            [t.trialEnds, f.date(p.trialEndsAt)],
            [t.price, price],
          ]}
        />
        <Action href={p.manageUrl}>{t.manage}</Action>
      </>
    );
  },
  previewProps: {
    organizationName: "Acme Analytics",
    customerName: "Ada Lovelace",
    daysLeft: 3,
    trialEndsAt: "2027-01-18T00:00:00Z",
    planName: "Pro",
    price: { amount: 4900, currency: "USD" },
    interval: "month",
    manageUrl: "https://billing.acme.example/subscription",
  },
});

export default trialEnding.Email;
