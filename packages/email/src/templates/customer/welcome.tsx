import { Action, Paragraph } from "../../components/blocks.tsx";
import { Greeting } from "../../components/greeting.tsx";
import { defineTemplate } from "../../define-template.tsx";
import { defineCatalog } from "../../i18n/catalog.ts";
import { welcomeProps } from "../../props/customer.ts";

const messages = defineCatalog({
  en: {
    subject: (v: { organization: string }) => `Welcome to ${v.organization}`,
    welcome: (v: { organization: string }) => `Thanks for signing up with ${v.organization}. Your account is ready.`,
    next: "Your billing details, invoices and receipts are all in one place.",
    start: "Go to your account",
  },
  fr: {
    subject: (v) => `Bienvenue chez ${v.organization}`,
    welcome: (v) => `Merci de votre inscription chez ${v.organization}. Votre compte est prêt.`,
    next: "Vos informations de facturation, factures et reçus sont réunis au même endroit.",
    start: "Accéder à votre compte",
  },
});

export const welcome = defineTemplate({
  name: "welcome",
  audience: "customer",
  schema: welcomeProps,
  messages,
  subject: (p, { t }) => t.subject({ organization: p.organizationName }),
  preview: (p, { t }) => t.welcome({ organization: p.organizationName }),
  body: (p, { t, language }) => (
    <>
      <Greeting language={language} name={p.customerName} />
      <Paragraph>{t.welcome({ organization: p.organizationName })}</Paragraph>
      <Paragraph>{t.next}</Paragraph>
      <Action href={p.accountUrl}>{t.start}</Action>
    </>
  ),
  previewProps: {
    organizationName: "Acme Analytics",
    customerName: "Ada Lovelace",
    accountUrl: "https://billing.acme.example/account",
  },
});

export default welcome.Email;
