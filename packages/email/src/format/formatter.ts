import { formattingLocale } from "../i18n/language.ts";
import { formatDate, formatDateTime } from "./date.ts";
import { formatMoney } from "./money.ts";
import type { Money } from "../props/common.ts";

/** Everything a template formats, bound once to the recipient's locale and time zone. */
export interface Formatter {
  readonly locale: string;
  readonly timeZone: string;
  money(money: Money): string;
  date(value: string | Date): string;
  dateTime(value: string | Date): string;
  number(value: number): string;
  percent(fraction: number): string;
}

export function createFormatter(locale: string, timeZone: string): Formatter {
  const intlLocale = formattingLocale(locale);
  const numbers = new Intl.NumberFormat(intlLocale);
  const percents = new Intl.NumberFormat(intlLocale, { style: "percent", maximumFractionDigits: 0 });
  return {
    locale: intlLocale,
    timeZone,
    money: (m) => formatMoney(m.amount, m.currency, intlLocale),
    date: (value) => formatDate(value, intlLocale, timeZone),
    dateTime: (value) => formatDateTime(value, intlLocale, timeZone),
    number: (value) => numbers.format(value),
    percent: (fraction) => percents.format(fraction),
  };
}
