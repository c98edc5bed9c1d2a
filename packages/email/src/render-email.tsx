import { render, toPlainText } from "@react-email/render";
import type { ReactElement } from "react";
import type { z } from "zod";
import { DEFAULT_RENDER_CONTEXT, type RenderContext } from "./define-template.tsx";
import { EmailError } from "./errors.ts";
import { isTemplateName, templates, type TemplateName, type TemplateProps } from "./registry.ts";

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface RenderOptions {
  /** The recipient's locale, e.g. a customer's `locale` ("fr-FR" → French; anything else → English). */
  locale: string;
  /** The IANA zone dates are shown in (the organization's `timezone`); UTC by default. */
  timeZone?: string;
}

/**
 * A template rendered for one recipient: props validated against the template's schema (bad
 * props are a non-retryable EmailError: rendering them again cannot help), then the subject, the
 * HTML and a plain-text part made from that HTML.
 */
export async function renderEmail<N extends TemplateName>(template: N, props: TemplateProps<N>, options: RenderOptions): Promise<RenderedEmail> {
  if (!isTemplateName(template)) throw new EmailError("unknown_template", `no email template named ${JSON.stringify(template)}`);
  const definition = templates[template];
  const parsed = (definition.schema as z.ZodType).safeParse(props);
  if (!parsed.success) {
    throw new EmailError("invalid_email_props", `props of email template ${template} are invalid: ${parsed.error.message}`, {
      details: { template, issues: parsed.error.issues },
    });
  }
  const context: RenderContext = { locale: options.locale, timeZone: options.timeZone ?? DEFAULT_RENDER_CONTEXT.timeZone };
  // The registry's union of templates is too wide for TypeScript to pair each one with its own
  // props here; the schema has just checked that they match.
  const Email = definition.Email as (props: object) => ReactElement;
  const html = await render(<Email {...(parsed.data as object)} {...context} />);
  const subject = (definition.subjectFor as (props: unknown, context: RenderContext) => string)(parsed.data, context);
  return { subject, html, text: toPlainText(html) };
}
