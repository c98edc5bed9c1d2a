import type { Language } from "./language.ts";

/** A message: fixed text, or text built from already formatted values. */
export type Message = string | ((values: never) => string);

/**
 * One template's strings in every language. The English entry defines the shape; `NoInfer` makes
 * every other language check against it, so a missing or misspelt French key, or a function
 * taking different values, is a type error rather than a blank in a customer's inbox.
 */
export type Catalog<M extends Record<string, Message>> = Record<Language, M>;

export function defineCatalog<M extends Record<string, Message>>(catalog: { en: M; fr: NoInfer<M> }): Catalog<M> {
  return catalog;
}
