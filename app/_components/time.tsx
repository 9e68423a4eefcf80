"use client";
// A point in time as the settings pages show it (lib/format.ts has the convention). The server
// renders it in UTC, the only zone it knows; once in the browser it switches to the viewer's
// zone, with UTC on hover.
import { useSyncExternalStore } from "react";
import { formatDateTime, formatLocalDateTime, formatUtcSeconds, relativeTime } from "@/lib/format";

const subscribe = () => () => undefined;
/** False while rendering on the server and hydrating, true afterwards: the viewer's zone is known. */
const useInBrowser = () =>
  useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );

export function Time(
  props:
    | {
        iso: string;
        /** The server's "now" (ISO) the relative text is measured from, so server and browser agree. */
        now: string;
        exact?: false;
      }
    /** The exact time (to the second) instead of "3 days ago": for the audit log. */
    | { iso: string; exact: true },
) {
  const { iso } = props;
  const inBrowser = useInBrowser();
  if (props.exact) {
    const utc = formatUtcSeconds(iso);
    return (
      <time dateTime={iso} title={utc}>
        {inBrowser ? formatLocalDateTime(iso, { seconds: true }) : utc}
      </time>
    );
  }
  const utc = formatDateTime(iso);
  const local = inBrowser ? formatLocalDateTime(iso) : null;
  // A viewer in UTC needs the time once.
  const title = local && !local.endsWith(" UTC") ? `${local} (${utc})` : utc;
  return (
    <time dateTime={iso} title={title}>
      {relativeTime(iso, new Date(props.now))}
    </time>
  );
}
