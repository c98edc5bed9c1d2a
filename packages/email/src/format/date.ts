/** A date (an ISO string or a Date) as a long date in `locale`, on the calendar of `timeZone`. */
export function formatDate(value: string | Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone }).format(toDate(value));
}

/** As formatDate, with the time of day and the zone's short name ("14:00 UTC"). */
export function formatDateTime(value: string | Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short", timeZone }).format(toDate(value));
}

function toDate(value: string | Date): Date {
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date: ${String(value)}`);
  return date;
}
