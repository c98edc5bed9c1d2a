import type { ReactElement, ReactNode } from "react";
import type { z } from "zod";
import { EmailLayout } from "./components/layout.tsx";
import { createFormatter, type Formatter } from "./format/formatter.ts";
import type { Catalog, Message } from "./i18n/catalog.ts";
import { languageOf, type Language } from "./i18n/language.ts";

/** Who reads the email: a customer of an organization, or the organization's own staff. The footer says which. */
export type Audience = "customer" | "organization";

/** Where an email is read: the recipient's locale (language and formats) and the time zone dates are shown in. */
export interface RenderContext {
  locale: string;
  timeZone: string;
}

/** What a template's subject, preheader and body are written with. */
export interface TemplateTools<M> {
  t: M;
  f: Formatter;
  language: Language;
}

export interface TemplateSpec<N extends string, S extends z.ZodObject<{ organizationName: z.ZodString }>, M extends Record<string, Message>> {
  name: N;
  audience: Audience;
  /** The props, validated before rendering; the notification tasks' payloads reuse it. */
  schema: S;
  messages: Catalog<M>;
  subject(props: z.output<S>, tools: TemplateTools<M>): string;
  /** The inbox's one-line summary shown after the subject (the preheader). */
  preview(props: z.output<S>, tools: TemplateTools<M>): string;
  body(props: z.output<S>, tools: TemplateTools<M>): ReactNode;
  /** Sample props for `pnpm email:dev` and for the tests that render every template. */
  previewProps: z.output<S>;
}

/** The props of a template's React component: its own, plus where it is read (English, UTC by default). */
export type EmailProps<S extends z.ZodType> = z.output<S> & Partial<RenderContext>;

export interface EmailTemplate<N extends string, S extends z.ZodObject<{ organizationName: z.ZodString }>, M extends Record<string, Message>>
  extends TemplateSpec<N, S, M> {
  /** The component react-email renders; `PreviewProps` is react-email's convention for sample data. */
  Email: ((props: EmailProps<S>) => ReactElement) & { PreviewProps: EmailProps<S> };
  subjectFor(props: z.output<S>, context: RenderContext): string;
}

export const DEFAULT_RENDER_CONTEXT: RenderContext = { locale: "en-US", timeZone: "UTC" };

export function defineTemplate<N extends string, S extends z.ZodObject<{ organizationName: z.ZodString }>, M extends Record<string, Message>>(
  spec: TemplateSpec<N, S, M>,
): EmailTemplate<N, S, M> {
  const toolsFor = (context: Partial<RenderContext>): TemplateTools<M> => {
    const locale = context.locale ?? DEFAULT_RENDER_CONTEXT.locale;
    const language = languageOf(locale);
    return { t: spec.messages[language], f: createFormatter(locale, context.timeZone ?? DEFAULT_RENDER_CONTEXT.timeZone), language };
  };
  const Email = (props: EmailProps<S>): ReactElement => {
    const tools = toolsFor(props);
    return (
      <EmailLayout audience={spec.audience} language={tools.language} organizationName={props.organizationName} preview={spec.preview(props, tools)}>
        {spec.body(props, tools)}
      </EmailLayout>
    );
  };
  Email.PreviewProps = { ...spec.previewProps, ...DEFAULT_RENDER_CONTEXT } as EmailProps<S>;
  return { ...spec, Email, subjectFor: (props, context) => spec.subject(props, toolsFor(context)) };
}
