"use client";
// The invite form: a pasted list of addresses and one role for all of them, answered address by
// address (invited, invited again, skipped, invalid) with a one-time link for each new invitation.
// The same form invites to a project (`projectId`, with the project's roles).
import { useEffect, useId, useRef, useState } from "react";
import { ActionForm, FieldError } from "@/app/_components/action-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { ProjectField } from "@/app/settings/_components/project-field";
import { keepChoiceOnReset } from "@/app/settings/_lib/keep-choice";
import { inviteMembersAction, type InviteOutcome, type InviteResult } from "@/lib/actions/invitations";
import type { ActionResult } from "@/lib/actions/run";
import { CopyLink } from "./copy-link";

const OUTCOMES: Record<InviteOutcome, { badge: string; label: string; detail: string }> = {
  INVITED: { badge: "badge-green", label: "Invited", detail: "Invitation email queued." },
  RENEWED: { badge: "badge-blue", label: "Invited again", detail: "Their expired or declined invitation was renewed with a new link." },
  ALREADY_MEMBER: { badge: "", label: "Skipped", detail: "Already a member." },
  ALREADY_INVITED: { badge: "badge-amber", label: "Skipped", detail: "Already invited and the invitation is still open; use Resend below." },
  INVALID: { badge: "badge-red", label: "Invalid", detail: "Not a valid email address; left in the box above to correct." },
};

function summary({ rows }: InviteResult): string {
  const count = (...outcomes: InviteOutcome[]) => rows.filter((r) => outcomes.includes(r.outcome)).length;
  const parts = [
    [count("INVITED"), "invited"],
    [count("RENEWED"), "invited again"],
    [count("ALREADY_MEMBER", "ALREADY_INVITED"), "skipped"],
    [count("INVALID"), "invalid"],
  ] as const;
  const text = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`).join(", ");
  return count("INVITED", "RENEWED") > 0 ? `Done: ${text}.` : `Nobody new was invited: ${text}.`;
}

/**
 * The answer to a Send: its summary is a heading that takes the focus when a new answer arrives,
 * so a keyboard or screen-reader user is not left on the page body (the button was disabled
 * while sending) and hears what happened.
 */
function Results({ rows, duplicates, inProject }: InviteResult & { inProject: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [rows]);
  const headingId = useId();
  return (
    <div className="stack" style={{ marginTop: 16 }} role="region" aria-labelledby={headingId}>
      <h3 id={headingId} ref={heading} tabIndex={-1} data-testid="invite-summary">
        {summary({ rows, duplicates })}
      </h3>
      <div className="table-scroll" role="region" aria-label="Invitation results table" tabIndex={0}>
        <table className="table">
          <caption style={{ textAlign: "left", fontWeight: 600, paddingBottom: 8 }}>Results</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Result</th>
              <th scope="col">Invite link</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const outcome = OUTCOMES[row.outcome];
              return (
                <tr key={`${row.outcome}:${row.email}`}>
                  <td>{row.email}</td>
                  <td>
                    <span className={`badge ${outcome.badge}`}>{outcome.label}</span>
                    <span className="hint">
                      {row.outcome === "ALREADY_MEMBER" && inProject ? "Already a member of this project." : outcome.detail}
                    </span>
                  </td>
                  <td>{row.link ? <CopyLink link={row.link} email={row.email} /> : <span className="muted">—</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {duplicates.length > 0 && (
        <p className="hint">
          Listed more than once, invited once: {duplicates.join(", ")}.
        </p>
      )}
    </div>
  );
}

export function InviteForm({
  roles,
  defaultRoleId,
  projectId,
}: {
  roles: { id: string; name: string }[];
  defaultRoleId?: string;
  /** Invite to this project (its roles in `roles`) instead of the organization. */
  projectId?: string;
}) {
  // The contract names the role field per scope.
  const roleField = projectId ? "projectRoleId" : "organizationRoleId";
  // Controlled, so a failed submit keeps the pasted list; after a successful one only the
  // invalid addresses stay, ready to be corrected.
  const [text, setText] = useState("");
  async function invite(prev: ActionResult<InviteResult> | null, form: FormData) {
    const result = await inviteMembersAction(prev, form);
    if (result.ok) setText(result.data.rows.filter((r) => r.outcome === "INVALID").map((r) => r.email).join("\n"));
    return result;
  }
  return (
    <ActionForm action={invite} render={(result) => <Results {...result} inProject={Boolean(projectId)} />} aria-label="Invite people">
      <ProjectField projectId={projectId} />
      <div className="field">
        <label htmlFor="invite-emails">Emails</label>
        <textarea
          id="invite-emails"
          name="emails"
          rows={5}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={"ada@example.com\ngrace@example.com, alan@example.com"}
          aria-describedby="invite-emails-hint emails-error"
        />
        <span id="invite-emails-hint" className="hint">
          One per line, or comma-separated; a pasted CSV works: any field that looks like an address is used. Up to 100 at a
          time.
        </span>
        <FieldError name="emails" />
      </div>
      {roles.length > 0 ? (
        <div className="field">
          <label htmlFor="invite-role">Role</label>
          <select
            id="invite-role"
            name={roleField}
            defaultValue={defaultRoleId}
            onChange={keepChoiceOnReset}
            aria-describedby="invite-role-hint invite-role-error"
          >
            {roles.map((role) => (
              <option key={role.id} value={role.id}>
                {role.name}
              </option>
            ))}
          </select>
          <span id="invite-role-hint" className="hint">
            Everyone in this list gets this role when they accept. Only roles within your own permissions are offered.
            {projectId && " People who are not in the organization yet also join it, as Members."}
          </span>
          <FieldError name={roleField} id="invite-role-error" />
        </div>
      ) : (
        <p className="hint">Invitees join as Member{projectId && " of the project (and of the organization, if they are not in it yet)"}.</p>
      )}
      <SubmitButton pendingLabel="Sending invitations…">Send invitations</SubmitButton>
    </ActionForm>
  );
}
