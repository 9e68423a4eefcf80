"use client";
// The filter form's time zone: the viewer's, so "from" and "to" are their days (the server only
// knows UTC). Without JavaScript the field keeps what the URL said, or UTC.
import { useSyncExternalStore } from "react";
import { localTimeZone } from "@/lib/format";

const subscribe = () => () => undefined;

export function TimeZoneField({ current }: { current?: string }) {
  const zone = useSyncExternalStore(subscribe, localTimeZone, () => current ?? "UTC");
  return (
    <>
      <input type="hidden" name="tz" value={zone} />
      <span className="hint">Days in your time zone ({zone}).</span>
    </>
  );
}
