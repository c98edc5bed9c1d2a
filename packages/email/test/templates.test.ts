import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isDomainError } from "@paycron/core";
import { renderEmail, templateNames, templates, type TemplateName } from "../src/index.ts";

const TEMPLATES_DIR = join(import.meta.dirname, "../src/templates");

/** Text that means a value or a string went missing somewhere between props, catalog and markup. */
const PLACEHOLDER = /undefined|NaN|\[object Object\]|Invalid Date|\{\{|\}\}|\bnull\b|TODO/;

const render = (name: TemplateName, locale: string) =>
  renderEmail(name, templates[name].previewProps as never, { locale, timeZone: "Europe/Paris" });

/** Every fixed (non-interpolated) English string of a template's catalog. */
const englishStrings = (name: TemplateName) =>
  Object.values(templates[name].messages.en).filter((m): m is string => typeof m === "string");

describe("every template", () => {
  it("the registry lists every template file, under its own name", () => {
    const files = ["customer", "organization"].flatMap((dir) => readdirSync(join(TEMPLATES_DIR, dir)).filter((f) => f.endsWith(".tsx")));
    expect(files).toHaveLength(templateNames.length);
    for (const name of templateNames) expect(templates[name].name).toBe(name);
  });

  it("has the same message keys in French as in English, none empty", () => {
    for (const name of templateNames) {
      const { en, fr } = templates[name].messages;
      expect(Object.keys(fr).sort(), name).toEqual(Object.keys(en).sort());
      for (const [key, message] of Object.entries(fr)) {
        expect(typeof message === typeof (en as Record<string, unknown>)[key], `${name}.${key}`).toBe(true);
        if (typeof message === "string") expect(message.trim(), `${name}.${key}`).not.toBe("");
      }
    }
  });

  it.for(templateNames)("%s renders in English and French with no missing or placeholder text", async (name) => {
    const en = await render(name, "en-US");
    const fr = await render(name, "fr-FR");
    for (const [locale, email] of [["en", en], ["fr", fr]] as const) {
      for (const part of ["subject", "html", "text"] as const) {
        expect(email[part].trim(), `${locale} ${part}`).not.toBe("");
        expect(email[part], `${locale} ${part}`).not.toMatch(PLACEHOLDER);
      }
      expect(email.text).toContain("Acme Analytics");
    }
    expect(en.html).toContain('lang="en"');
    expect(fr.html).toContain('lang="fr"');
    // French really is French: another subject, a French footer, and no English sentence left in.
    expect(fr.subject).not.toBe(en.subject);
    expect(fr.text).toContain("Vous recevez cet e-mail");
    expect(en.text).toContain("You are receiving this email");
    for (const english of englishStrings(name)) expect(fr.text, `${name}: "${english}"`).not.toContain(english);
  });

  it("chooses the language from the locale: any French tag is French, anything else English", async () => {
    for (const locale of ["fr", "fr-CA", "fr_BE", "FR-fr"]) {
      expect((await renderEmail("welcome", templates.welcome.previewProps, { locale })).subject, locale).toBe("Bienvenue chez Acme Analytics");
    }
    for (const locale of ["en-GB", "de-DE", "", "not a locale"]) {
      expect((await renderEmail("welcome", templates.welcome.previewProps, { locale })).subject, locale).toBe("Welcome to Acme Analytics");
    }
  });
});

describe("renderEmail", () => {
  it("puts every link of the props in the plain-text part", async () => {
    const { text } = await render("payment-receipt", "en-US");
    expect(text).toContain(templates["payment-receipt"].previewProps.receiptUrl);
  });

  it("shows dates in the time zone given", async () => {
    // 23:30 UTC on the 15th is already the 16th in Paris.
    const props = { ...templates["payment-receipt"].previewProps, paidAt: "2027-01-15T23:30:00Z" };
    expect((await renderEmail("payment-receipt", props, { locale: "en-US", timeZone: "UTC" })).text).toContain("January 15, 2027");
    expect((await renderEmail("payment-receipt", props, { locale: "en-US", timeZone: "Europe/Paris" })).text).toContain("January 16, 2027");
    expect((await renderEmail("payment-receipt", props, { locale: "fr-FR", timeZone: "Europe/Paris" })).text).toContain("16 janvier 2027");
  });

  it("refuses props that do not match the template's schema, as a non-retryable error", async () => {
    const bad = { ...templates["payment-receipt"].previewProps, amount: { amount: 49.5, currency: "USD" } };
    const error = await renderEmail("payment-receipt", bad, { locale: "en-US" }).catch((e: unknown) => e);
    expect(isDomainError(error, "invalid_email_props")).toBe(true);
    expect((error as { retryable: boolean }).retryable).toBe(false);
    const notALink = { ...templates["payment-receipt"].previewProps, receiptUrl: "javascript:alert(1)" };
    expect(isDomainError(await renderEmail("payment-receipt", notALink, { locale: "en-US" }).catch((e: unknown) => e), "invalid_email_props")).toBe(true);
  });

  it("refuses an unknown template name", async () => {
    const error = await renderEmail("no-such-email" as TemplateName, {} as never, { locale: "en-US" }).catch((e: unknown) => e);
    expect(isDomainError(error, "unknown_template")).toBe(true);
  });
});
