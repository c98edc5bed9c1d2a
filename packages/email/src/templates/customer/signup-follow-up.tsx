import { Action, Paragraph } from "../../components/blocks.tsx";
import { Greeting } from "../../components/greeting.tsx";
import { defineTemplate } from "../../define-template.tsx";
import { defineCatalog } from "../../i18n/catalog.ts";
import { signupFollowUpProps } from "../../props/customer.ts";

/** Sent 24 hours after sign-up: a nudge to finish setting up, and where to get help. */
const messages = defineCatalog({
  en: {
    subject: (v: { organization: string }) => `Getting started with ${v.organization}`,
    checkIn: (v: { organization: string }) => `You joined ${v.organization} yesterday. Here is how to get the most out of it.`,
    setup: "Add a payment method now so that nothing interrupts your service later.",
    help: "If you have any questions, we are happy to help.",
    start: "Finish setting up",
  },
  fr: {
    subject: (v) => `Bien démarrer avec ${v.organization}`,
    checkIn: (v) => `Vous avez rejoint ${v.organization} hier. Voici comment en tirer le meilleur parti.`,
    setup: "Ajoutez dès maintenant un moyen de paiement pour que rien n’interrompe votre service plus tard.",
    help: "Si vous avez des questions, nous sommes là pour vous aider.",
    start: "Terminer la configuration",
  },
});

export const signupFollowUp = defineTemplate({
  name: "signup-follow-up",
  audience: "customer",
  schema: signupFollowUpProps,
  messages,
  subject: (p, { t }) => t.subject({ organization: p.organizationName }),
  preview: (p, { t }) => t.checkIn({ organization: p.organizationName }),
  body: (p, { t, language }) => (
    <>
      <Greeting language={language} name={p.customerName} />
      <Paragraph>{t.checkIn({ organization: p.organizationName })}</Paragraph>
      <Paragraph>{t.setup}</Paragraph>
      <Action href={p.setupUrl}>{t.start}</Action>
      <Paragraph>{t.help}</Paragraph>
    </>
  ),
  previewProps: {
    organizationName: "Acme Analytics",
    customerName: "Ada Lovelace",
    setupUrl: "https://billing.acme.example/payment-method",
  },
});

export default signupFollowUp.Email;
