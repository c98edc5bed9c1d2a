/** The languages every template is written in. Adding one makes every catalog a type error until translated. */
export const LANGUAGES = ["en", "fr"] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * The language of a customer's `locale` (a BCP 47 tag such as "fr-FR", "fr_CA" or "FR"): French for
 * any French tag, English for everything else, including an empty or malformed one, so a bad
 * locale never stops an email.
 */
export function languageOf(locale: string | null | undefined): Language {
  const primary = (locale ?? "").trim().toLowerCase().split(/[-_]/)[0];
  return primary === "fr" ? "fr" : "en";
}

/**
 * The locale Intl formats with: the customer's own when Intl knows it (so "fr-CA" keeps Canadian
 * conventions), else the language's default.
 */
export function formattingLocale(locale: string | null | undefined): string {
  const language = languageOf(locale);
  const tag = (locale ?? "").trim().replace(/_/g, "-");
  try {
    const [supported] = Intl.NumberFormat.supportedLocalesOf(tag);
    if (supported && languageOf(supported) === language) return supported;
  } catch {
    // RangeError: not a well-formed tag; fall back below.
  }
  return language === "fr" ? "fr-FR" : "en-US";
}
