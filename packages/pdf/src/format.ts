/*
 * Amounts, quantities and dates as the customer reads them: Intl in the customer's locale, the
 * invoice's currency and the organization's time zone, never the process's own locale or zone.
 */

export interface Formatters {
  /** Integer minor units → "$1,234.56", "1 234,56 €", "￥4,900". */
  money(minor: number): string;
  quantity(n: number): string;
  /** The calendar date in the organization's time zone. */
  date(at: Date): string;
  /** A service period [start, end) as one range ("Mar 1 – Apr 1, 2027"), end as stored. */
  period(start: Date, end: Date): string;
}

/*
 * Building Intl formatters costs more than an invoice's worth of formatting with them, and a
 * billing run formats many invoices in the same few locales, currencies and zones: they are built
 * once per combination. They hold no state between calls, so sharing them changes no output.
 */
const built = new Map<string, Formatters>();

export function createFormatters(options: { locale: string; currency: string; timeZone: string }): Formatters {
  const key = `${options.locale} ${options.currency} ${options.timeZone}`;
  let formatters = built.get(key);
  if (!formatters) {
    if (built.size >= 256) built.clear(); // a bound, should the data carry ever-new combinations
    built.set(key, (formatters = buildFormatters(options)));
  }
  return formatters;
}

function buildFormatters({ locale, currency, timeZone }: { locale: string; currency: string; timeZone: string }): Formatters {
  const moneyFormat = new Intl.NumberFormat(locale, { style: "currency", currency });
  // The currency's own minor unit, from Intl (2 for USD and EUR, 0 for JPY, 3 for BHD), never a
  // hard-coded 100. resolvedOptions() reports the currency's digits when none are asked for.
  const digits = moneyFormat.resolvedOptions().maximumFractionDigits ?? 2;
  const quantityFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone });
  return {
    money: (minor) => moneyFormat.format(toDecimalString(minor, digits)),
    quantity: (n) => quantityFormat.format(n),
    date: (at) => dateFormat.format(at),
    period: (start, end) => dateFormat.formatRange(start, end),
  };
}

/**
 * -123456 with 2 digits → "-1234.56". Intl formats a decimal string exactly (Intl.NumberFormat
 * v3), so an amount is never divided in floating point on its way to the page.
 */
export function toDecimalString(minor: number, digits: number): `${number}` {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount ${minor} is not a safe integer of minor units`);
  const sign = minor < 0 ? "-" : "";
  const units = String(Math.abs(minor));
  if (digits === 0) return `${sign}${units}` as `${number}`;
  const padded = units.padStart(digits + 1, "0");
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}` as `${number}`;
}
