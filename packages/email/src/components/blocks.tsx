import { Button, Column, Row, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import { colors } from "./styles.ts";

/** A paragraph of body text. */
export function Paragraph(props: { children: ReactNode }) {
  return <Text style={{ color: colors.text, fontSize: "15px", lineHeight: "24px", margin: "0 0 16px" }}>{props.children}</Text>;
}

/** The one thing the reader should do; the URL is also printed in the plain-text part. */
export function Action(props: { href: string; children: ReactNode }) {
  return (
    <Section style={{ margin: "8px 0 24px" }}>
      <Button
        href={props.href}
        style={{ backgroundColor: colors.accent, borderRadius: "6px", color: "#ffffff", fontSize: "15px", fontWeight: 600, padding: "12px 20px" }}
      >
        {props.children}
      </Button>
    </Section>
  );
}

/** Label/value lines (amount, date, invoice number): a two-column table that mail clients keep aligned. */
export function Details(props: { rows: ReadonlyArray<readonly [label: string, value: string]> }) {
  return (
    <Section style={{ border: `1px solid ${colors.border}`, borderRadius: "6px", margin: "0 0 24px", padding: "12px 16px" }}>
      {props.rows.map(([label, value]) => (
        <Row key={label}>
          <Column style={{ color: colors.muted, fontSize: "14px", padding: "4px 0", width: "45%" }}>{label}</Column>
          <Column style={{ color: colors.text, fontSize: "14px", fontWeight: 600, padding: "4px 0" }}>{value}</Column>
        </Row>
      ))}
    </Section>
  );
}
