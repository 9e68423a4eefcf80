// The one way dates are written for people, in pages and emails alike. Rendered on the server, so
// a fixed locale and UTC keep the output independent of the host's settings (the exact instant
// is in each <time>'s title).
const MEDIUM = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
const LONG = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });
const DATE_TIME = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const RELATIVE = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

const toDate = (value: string | Date) => (value instanceof Date ? value : new Date(value));

/** "Dec 4, 2026". */
export function formatDate(value: string | Date): string {
  return MEDIUM.format(toDate(value));
}

/** "December 4, 2026": in sentences (expiry of an invitation, trial end). Throws on an invalid date. */
export function formatLongDate(value: string | Date): string {
  return LONG.format(toDate(value));
}

/** "Dec 4, 2026, 9:30 AM UTC". */
export function formatDateTime(value: string | Date): string {
  return `${DATE_TIME.format(toDate(value))} UTC`;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** "in 6 days", "3 hours ago": the largest unit that fits. */
export function relativeTime(value: string | Date, now: Date): string {
  const diff = toDate(value).getTime() - now.getTime();
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return RELATIVE.format(Math.trunc(diff / ms), unit);
  }
  return diff >= 0 ? "in under a minute" : "just now";
}
