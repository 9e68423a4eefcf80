// Below a keyset-paged settings list: how many are shown of how many, "Newest" back to the first
// page once paged, and a link to the next (older) page while there is one. Plain links, so they
// work with the keyboard and without JavaScript; `.button` is 44 px tall on phones.
import Link from "next/link";

export function CursorPager({
  label,
  shown,
  total,
  newestHref,
  olderHref,
  olderLabel,
}: {
  /** The navigation's accessible name: "Open invitations pages". */
  label: string;
  shown: number;
  total: number;
  /** The first page, on any later one; null on the first. */
  newestHref: string | null;
  /** The next page; null on the last. */
  olderHref: string | null;
  olderLabel: string;
}) {
  if (!newestHref && !olderHref) return null;
  return (
    <nav className="row" aria-label={label}>
      <span className="muted">
        Showing {shown} of {total}
      </span>
      <span className="spacer" />
      {newestHref && (
        <Link href={newestHref} className="button button-secondary">
          Newest
        </Link>
      )}
      {olderHref && (
        <Link href={olderHref} className="button button-secondary" rel="next">
          {olderLabel}
        </Link>
      )}
    </nav>
  );
}
