import { ActionForm, FieldError } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { requireSettingsContext } from "@/app/settings/_lib/context";
import { renameOrganization } from "@/lib/actions/organization";
import { getOrganizationOverview, type OrganizationOverview } from "@/lib/services/org-overview";
import { formatLongDate } from "@/lib/format";

export const dynamic = "force-dynamic";
export const metadata = { title: "General settings" };

const DAY = 86_400_000;


function PlanSummary({ org, now }: { org: OrganizationOverview; now: Date }) {
  const onTrial = org.plan === "TRIAL";
  const trialOver = onTrial && org.trialEndsAt !== null && org.trialEndsAt <= now;
  const tone = org.plan === "FREE" || trialOver ? "badge-red" : onTrial ? "badge-amber" : "badge-green";
  return (
    <div className="stack">
      <p className="row">
        <span className={`badge ${tone}`}>{org.plan}</span>
        {onTrial && org.trialEndsAt && (
          <span>
            {trialOver
              ? `Trial ended on ${formatLongDate(org.trialEndsAt)}.`
              : `Trial ends on ${formatLongDate(org.trialEndsAt)} (${Math.ceil((org.trialEndsAt.getTime() - now.getTime()) / DAY)} days left).`}
          </span>
        )}
      </p>
      {(org.plan === "FREE" || trialOver) && (
        <p className="hint">Inviting members is not available on the Free plan outside of the trial period.</p>
      )}
    </div>
  );
}

function SeatSummary({ org }: { org: OrganizationOverview }) {
  const used = org.members + org.pendingInvitations;
  const counts = `${org.members} ${org.members === 1 ? "member" : "members"} + ${org.pendingInvitations} pending ${
    org.pendingInvitations === 1 ? "invitation" : "invitations"
  }`;
  if (org.seatLimit === null) return <p>{counts} · no seat limit</p>;
  return (
    <div className="stack">
      <p>
        {counts} of {org.seatLimit} seats
      </p>
      <meter min={0} max={org.seatLimit} value={Math.min(used, org.seatLimit)} high={org.seatLimit} aria-label="Seats used" style={{ width: "100%" }} />
      {used >= org.seatLimit && (
        <p className="hint">Every seat is taken: remove a member or revoke a pending invitation to invite someone new.</p>
      )}
    </div>
  );
}

export default async function GeneralSettingsPage({ searchParams }: { searchParams: Promise<{ joined?: string }> }) {
  const { ctx, permissions, org: active } = await requireSettingsContext("/settings");
  const joined = (await searchParams).joined === "1";
  const org = await getOrganizationOverview(ctx);
  const canManage = permissions.has("organization:manage");
  const now = new Date();

  return (
    <div className="stack">
      {joined && (
        <p role="status" className="toast" data-testid="joined">
          You joined {active.name} as {active.roleName}. The settings menu shows the pages your role lets you see.
        </p>
      )}
      <header>
        <h1>General</h1>
        <p className="muted">Your organization&apos;s name, plan and seats.</p>
      </header>

      <section className="card" aria-labelledby="org-name-heading">
        <h2 id="org-name-heading">Organization name</h2>
        {canManage ? (
          <ActionForm action={renameOrganization} success="Organization name saved" aria-label="Rename organization">
            <div className="field">
              <label htmlFor="org-name">Name</label>
              <input id="org-name" name="name" type="text" defaultValue={org.name} maxLength={100} required aria-describedby="org-name-hint name-error" />
              <span id="org-name-hint" className="hint">
                Shown to members and in invitation emails. Up to 100 characters.
              </span>
              <FieldError name="name" />
            </div>
            <SubmitButton pendingLabel="Saving…">Save</SubmitButton>
          </ActionForm>
        ) : (
          <>
            <p>{org.name}</p>
            <p className="hint">Only members whose role includes organization:manage can rename the organization.</p>
          </>
        )}
        <p className="hint">
          Organization ID <code>{org.id}</code> · created {formatLongDate(org.createdAt)}
        </p>
      </section>

      <section className="card" aria-labelledby="plan-heading">
        <h2 id="plan-heading">Plan</h2>
        <PlanSummary org={org} now={now} />
      </section>

      <section className="card" aria-labelledby="seats-heading">
        <h2 id="seats-heading">Seats</h2>
        <SeatSummary org={org} />
      </section>
    </div>
  );
}
