import { Body, Container, Head, Heading, Hr, Html, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import type { Audience } from "../define-template.tsx";
import { defineCatalog } from "../i18n/catalog.ts";
import type { Language } from "../i18n/language.ts";
import { colors } from "./styles.ts";

/** The footer tells every recipient why the email reached them (and it is the same in every template). */
const footer = defineCatalog({
  en: {
    customer: (v: { organization: string }) =>
      `You are receiving this email because you have an account with ${v.organization}, which bills you through Paycron.`,
    organization: (v: { organization: string }) =>
      `You are receiving this email because you administer ${v.organization} on Paycron.`,
  },
  fr: {
    customer: (v) => `Vous recevez cet e-mail car vous avez un compte chez ${v.organization}, qui vous facture via Paycron.`,
    organization: (v) => `Vous recevez cet e-mail car vous administrez ${v.organization} sur Paycron.`,
  },
});

export interface EmailLayoutProps {
  audience: Audience;
  language: Language;
  organizationName: string;
  preview: string;
  children: ReactNode;
}

export function EmailLayout(props: EmailLayoutProps) {
  return (
    <Html lang={props.language}>
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={{ backgroundColor: colors.page, fontFamily: "Helvetica, Arial, sans-serif", margin: 0, padding: "24px 0" }}>
        <Container style={{ backgroundColor: colors.card, maxWidth: "560px", padding: "32px", borderRadius: "8px" }}>
          <Heading as="h2" style={{ color: colors.text, fontSize: "20px", margin: "0 0 24px" }}>
            {props.organizationName}
          </Heading>
          <Section>{props.children}</Section>
          <Hr style={{ borderColor: colors.border, margin: "32px 0 16px" }} />
          <Text style={{ color: colors.muted, fontSize: "12px", lineHeight: "18px", margin: 0 }}>
            {footer[props.language][props.audience]({ organization: props.organizationName })}
          </Text>
        </Container>
      </Body>
    </Html>
  );
}
