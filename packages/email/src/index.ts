export { renderEmail, type RenderedEmail, type RenderOptions } from "./render-email.tsx";
export { isTemplateName, templateNames, templates, type TemplateName, type TemplateProps, type Templates } from "./registry.ts";
export { defineTemplate, type Audience, type EmailTemplate, type RenderContext } from "./define-template.tsx";
export { languageOf, LANGUAGES, type Language } from "./i18n/language.ts";
export { formatMoney } from "./format/money.ts";
export { formatDate, formatDateTime } from "./format/date.ts";
export { EmailError, type EmailErrorCode } from "./errors.ts";
export * from "./props/index.ts";
