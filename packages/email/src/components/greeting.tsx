import { defineCatalog } from "../i18n/catalog.ts";
import type { Language } from "../i18n/language.ts";
import { Paragraph } from "./blocks.tsx";

const greeting = defineCatalog({
  en: { named: (v: { name: string }) => `Hi ${v.name},`, anonymous: "Hello," },
  fr: { named: (v) => `Bonjour ${v.name},`, anonymous: "Bonjour," },
});

/** The opening line; a recipient without a name on file is greeted without one. */
export function Greeting(props: { language: Language; name?: string | undefined }) {
  const t = greeting[props.language];
  return <Paragraph>{props.name ? t.named({ name: props.name }) : t.anonymous}</Paragraph>;
}
