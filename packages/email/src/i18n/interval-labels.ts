import { defineCatalog } from "./catalog.ts";

/** "per month" after a price, for the templates that show a recurring price. */
export const intervalLabels = defineCatalog({
  en: { day: "per day", week: "per week", month: "per month", year: "per year" },
  fr: { day: "par jour", week: "par semaine", month: "par mois", year: "par an" },
});
