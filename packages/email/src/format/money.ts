/**
 * An amount in integer minor units of `currency`, formatted for `locale`. The number of minor
 * digits comes from Intl (2 for USD/EUR, 0 for JPY, 3 for KWD), never from a hard-coded 100.
 */
export function formatMoney(amountMinor: number, currency: string, locale: string): string {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`formatMoney: ${amountMinor} is not an integer number of minor units`);
  const format = new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase() });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** digits);
}
