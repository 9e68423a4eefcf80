// The one way dates are written for people, in pages and emails alike. Rendered on the server, so
// a fixed locale and UTC keep the output independent of the host's settings. The convention of
// the settings pages: a time in a list is relative ("3 days ago") with the exact time on hover,
// in the viewer's zone and in UTC (app/_components/time.tsx); sentences and emails say the
// date ("expires on December 4, 2026"); the audit log shows exact times in the viewer's zone.
const MEDIUM = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
const LONG = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });
const DATE_TIME = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
// "1 day ago", not "yesterday": a rounded day may not be the calendar's yesterday.
const RELATIVE = new Intl.RelativeTimeFormat("en", { numeric: "always" });

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

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

/**
 * "in 7 days", "3 hours ago": the largest unit that fits, rounded to the nearest one (an
 * invitation that expires in 6 days 23 hours is "in 7 days", as its sender just set it).
 */
export function relativeTime(value: string | Date, now: Date): string {
  const diff = toDate(value).getTime() - now.getTime();
  const size = Math.abs(diff);
  const sign = diff < 0 ? -1 : 1;
  // Thresholds at the rounding points, so "24 hours" and "60 minutes" are never said.
  if (size >= DAY - HOUR / 2) return RELATIVE.format(sign * Math.max(1, Math.round(size / DAY)), "day");
  if (size >= HOUR - MINUTE / 2) return RELATIVE.format(sign * Math.max(1, Math.round(size / HOUR)), "hour");
  if (size >= MINUTE - 30_000) return RELATIVE.format(sign * Math.max(1, Math.round(size / MINUTE)), "minute");
  return diff >= 0 ? "in under a minute" : "just now";
}

// In the viewer's browser: no fixed zone, so the runtime's own (the browser's) applies, named.
const LOCAL = {
  minutes: { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" },
  seconds: { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", second: "2-digit", timeZoneName: "short" },
} as const;

/** "Dec 4, 2026, 10:30 AM GMT+1" in the zone of whoever runs it: call it in the browser. */
export function formatLocalDateTime(value: string | Date, { seconds = false }: { seconds?: boolean } = {}): string {
  return new Intl.DateTimeFormat("en-US", seconds ? LOCAL.seconds : LOCAL.minutes).format(toDate(value));
}

/** `2026-01-03 14:22:05 UTC`: sortable, unambiguous, the same for every viewer. */
export function formatUtcSeconds(value: string | Date): string {
  const iso = toDate(value).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** The IANA zone of whoever runs it ("Europe/Berlin"); in the browser, the viewer's. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
