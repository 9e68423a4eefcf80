"use client";
// The parts of the settings shell that need the browser: the current page (for aria-current),
// the phone menu's open state and the organization switcher's form state.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState, type ReactNode } from "react";
import { ActionForm } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { switchOrganization } from "@/lib/actions/organization";

export interface NavLink {
  href: string;
  label: string;
}

const LINKS: NavLink[] = [
  { href: "/settings", label: "General" },
  { href: "/settings/members", label: "Members" },
  { href: "/settings/invitations", label: "Invitations" },
  { href: "/settings/api-keys", label: "API keys" },
  { href: "/settings/roles", label: "Roles & policies" },
  { href: "/settings/projects", label: "Projects" },
  { href: "/settings/governance", label: "Governance" },
  { href: "/settings/audit-log", label: "Audit log" },
];

/**
 * Links of which the one for the current page is marked. `root` is the section's own page
 * (General; a project's Settings): only an exact match makes it current, as every other page
 * lies below it.
 */
export function NavLinks({ links, root, label, className }: { links: NavLink[]; root: string; label: string; className?: string }) {
  const pathname = usePathname();
  const current = (href: string) => (href === root ? pathname === href : pathname === href || pathname.startsWith(`${href}/`));
  return (
    <nav aria-label={label} className={className}>
      {links.map((link) => (
        <Link key={link.href} href={link.href} aria-current={current(link.href) ? "page" : undefined}>
          {link.label}
        </Link>
      ))}
    </nav>
  );
}

/**
 * The sidebar: on a desktop always shown; on a phone (globals.css, max-width 720px) a bar with
 * the wordmark and a Menu button (a disclosure: aria-expanded, Enter or Space) that shows the
 * rest. It closes again on the next page: it is open only for the path it was opened on.
 * Without JavaScript the button could do nothing, so the menu then simply stays open.
 */
export function CollapsibleSidebar({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  return (
    <aside className="sidebar" data-open={open}>
      <noscript>
        <style>{".sidebar .sidebar-panel { display: block !important; } .sidebar .sidebar-toggle { display: none !important; }"}</style>
      </noscript>
      <div className="sidebar-bar">
        <Link href="/settings" className="wordmark">
          Confident
        </Link>
        <button
          type="button"
          className="button button-secondary sidebar-toggle"
          aria-expanded={open}
          aria-controls="sidebar-panel"
          onClick={() => setOpenOn(open ? null : pathname)}
        >
          Menu
        </button>
      </div>
      <div id="sidebar-panel" className="sidebar-panel stack">
        {children}
      </div>
    </aside>
  );
}

export function SettingsNav() {
  return <NavLinks links={LINKS} root="/settings" label="Settings" />;
}

export function OrgSwitcher({ organizations, activeId }: { organizations: { id: string; name: string }[]; activeId: string }) {
  return (
    <ActionForm action={switchOrganization} aria-label="Switch organization">
      <label htmlFor="org-switcher">Organization</label>
      <select id="org-switcher" name="organizationId" defaultValue={activeId}>
        {organizations.map((org) => (
          <option key={org.id} value={org.id}>
            {org.name}
          </option>
        ))}
      </select>
      {/* An explicit button rather than switching on change: choosing must not navigate away. */}
      <div style={{ marginTop: 8 }}>
        <SubmitButton variant="secondary" pendingLabel="Switching…">
          Switch organization
        </SubmitButton>
      </div>
    </ActionForm>
  );
}
