import type { Metadata } from "next";
import { requireSettingsContext } from "@/app/settings/_lib/context";
import { IamContent } from "./iam-content";
import { JumpLinks } from "./jump-links";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Roles & policies" };

const PATH = "/settings/roles";

export default async function RolesPage() {
  const { ctx, permissions: held } = await requireSettingsContext(PATH);

  return (
    <div className="stack">
      <header>
        <h1>Roles &amp; policies</h1>
        <p className="muted">
          A member&apos;s role decides what they can do. Roles are built from policies, and policies are sets of
          permissions. The system roles cannot be changed; create your own for anything in between.
        </p>
        <JumpLinks />
      </header>
      {held.has("iam:read") ? (
        <IamContent ctx={ctx} held={held} />
      ) : (
        <p className="alert alert-info">Your role does not allow viewing roles and policies. Ask an Owner or Admin for access.</p>
      )}
    </div>
  );
}
