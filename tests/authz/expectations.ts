// The expected outcome of every (service call, actor) cell, written out so it can be checked
// against the contract (§4, §5 "Who an API key acts as", "Grant ceiling, everywhere") line by
// line. The matrix tests run exactly this table.
//
// Actors (fixture.ts builds them in one organization, Acme):
//   Owner, Admin, Member  system roles: Owner and Admin hold every permission, Member the :read ones
//   Lacking               a custom role holding every permission EXCEPT the one the call needs
//   Exact                 a custom role holding exactly the one permission the call needs
//   key:X                 an API key created by X, authenticated by the real authenticateApiKey
//   operator              a key with no creator (INIT_ORG_API_KEY): acts as the Owner
//   departed              a key whose creator has left Acme: it does not authenticate
//
// Outcomes: ok (done), 403 / 409 (AppError status, nothing written), 401 (authenticateApiKey
// answers null: the request never reaches a service).
//
// The rules each row applies, from the contract:
//   P    the acting user (for a key: its creator, now) holds the permission the call needs;
//   G    grant ceiling: to give a role, hold every permission of it;
//   A    to change or remove someone, also hold every permission of their current role; to
//        edit a role or policy, every permission it holds now;
//   O    ownership moves only by the Owner (or the Owner's key, or an operator key); the Owner's
//        own role cannot be changed (409); the Owner cannot be removed (403); Owner never by
//        invitation (403).
// The needed permission of each row is in brackets. "Inviter" is a role holding user:manage only.

export const ACTORS = [
  "Owner",
  "Admin",
  "Member",
  "Lacking",
  "Exact",
  "key:Owner",
  "key:Admin",
  "key:Member",
  "key:Lacking",
  "key:Exact",
  "operator",
  "departed",
] as const;
export type ActorName = (typeof ACTORS)[number];
export type Outcome = "ok" | 401 | 403 | 409;

// prettier-ignore
export const TABLE = {
  //                                                      Owner Admin Member Lacking Exact | key:Owner Admin Member Lacking Exact | operator | departed
  // --- organization -------------------------------------------------------------------------------------------------------------
  "updateOrganization [organization:manage]":             "ok   ok    403    403     ok    |     ok    ok    403    403     ok    | ok       | 401",
  "getOrganization [organization:read]":                  "ok   ok    ok     403     ok    |     ok    ok    ok     403     ok    | ok       | 401",
  "getOrganizationOverview [organization:read]":          "ok   ok    ok     403     ok    |     ok    ok    ok     403     ok    | ok       | 401",
  // --- invitations ------------------------------------------------------------------------------------------------------------------
  // G: the default role is Member (every :read), which Exact (user:manage only) does not hold.
  "createInvitations as Member [user:manage]":            "ok   ok    403    403     403   |     ok    ok    403    403     403   | ok       | 401",
  // O: nobody, not even the Owner, invites as Owner.
  "createInvitations as Owner [user:manage]":             "403  403   403    403     403   |     403   403   403    403     403   | 403      | 401",
  // G: resending hands the invitation's role (Member) out again.
  "resendInvitation of a Member invitation [user:manage]":"ok   ok    403    403     403   |     ok    ok    403    403     403   | ok       | 401",
  // A: revoking a Member invitation acts on the Member role's grant, which Exact does not hold.
  "revokeInvitation [user:manage]":                       "ok   ok    403    403     403   |     ok    ok    403    403     403   | ok       | 401",
  "listInvitations [user:read]":                          "ok   ok    ok     403     ok    |     ok    ok    ok     403     ok    | ok       | 401",
  // --- members ------------------------------------------------------------------------------------------------------------------------
  // A: Exact does not hold the Member role's :read permissions.
  "updateMemberRole Member -> Analyst [user:manage]":     "ok   ok    403    403     403   |     ok    ok    403    403     403   | ok       | 401",
  // G: Exact may act on an Inviter (it holds user:manage) but cannot give Admin.
  "updateMemberRole Inviter -> Admin [user:manage]":      "ok   ok    403    403     403   |     ok    ok    403    403     403   | ok       | 401",
  // A: a stronger member: Exact could give Inviter, but not take Admin away.
  "updateMemberRole Admin -> Inviter [user:manage]":      "ok   ok    403    403     403   |     ok    ok    403    403     403   | ok       | 401",
  // O: ownership transfer, only as the Owner.
  "updateMemberRole Member -> Owner [user:manage]":       "ok   403   403    403     403   |     ok    403   403    403     403   | ok       | 401",
  // O: the Owner's own role: 409 for whoever may change roles at all (P comes first).
  "updateMemberRole Owner -> Admin [user:manage]":        "409  409   403    403     409   |     409   409   403    403     409   | 409      | 401",
  // A: Exact does not hold the Member role's :read permissions.
  "removeMember a Member [user:delete]":                  "ok   ok    403    403     403   |     ok    ok    403    403     403   | ok       | 401",
  // O: the Owner cannot be removed, by anyone.
  "removeMember the Owner [user:delete]":                 "403  403   403    403     403   |     403   403   403    403     403   | 403      | 401",
  // A: a stronger member.
  "removeMember an Admin [user:delete]":                  "ok   ok    403    403     403   |     ok    ok    403    403     403   | ok       | 401",
  "listMembers [user:read]":                              "ok   ok    ok     403     ok    |     ok    ok    ok     403     ok    | ok       | 401",
  "searchMembers [user:read]":                            "ok   ok    ok     403     ok    |     ok    ok    ok     403     ok    | ok       | 401",
  // --- API keys ---------------------------------------------------------------------------------------------------------------------
  "createApiKey [apiKey:manage]":                         "ok   ok    403    403     ok    |     ok    ok    403    403     ok    | ok       | 401",
  "updateApiKey [apiKey:manage]":                         "ok   ok    403    403     ok    |     ok    ok    403    403     ok    | ok       | 401",
  "deleteApiKey [apiKey:manage]":                         "ok   ok    403    403     ok    |     ok    ok    403    403     ok    | ok       | 401",
  "listApiKeys [apiKey:read]":                            "ok   ok    ok     403     ok    |     ok    ok    ok     403     ok    | ok       | 401",
  "getApiKey [apiKey:read]":                              "ok   ok    ok     403     ok    |     ok    ok    ok     403     ok    | ok       | 401",
  // --- roles, policies, permissions ---------------------------------------------------------------------------------------------------
  // G: the new role is Read only, which Exact (iam:manage only) does not hold.
  "createRole with Read only [iam:manage]":               "ok   ok    403    403     403   |     ok    ok    403    403     403   | ok       | 401",
  // A: emptying a role takes away permissions Exact does not hold.
  "updateRole Support -> no policies [iam:manage]":       "ok   ok    403    403     403   |     ok    ok    403    403     403   | ok       | 401",
  // An unused role: deleting it changes nobody's permissions, so only P applies.
  "deleteRole Support (unused) [iam:manage]":             "ok   ok    403    403     ok    |     ok    ok    403    403     ok    | ok       | 401",
  // G: organization:read is not Exact's to hand out.
  "createPolicy with organization:read [iam:manage]":     "ok   ok    403    403     403   |     ok    ok    403    403     403   | ok       | 401",
  // A: emptying a policy takes away user:read, which Exact does not hold.
  "updatePolicy People viewer -> none [iam:manage]":      "ok   ok    403    403     403   |     ok    ok    403    403     403   | ok       | 401",
  // An unattached policy: deleting it changes nobody's permissions, so only P applies.
  "deletePolicy People viewer (unused) [iam:manage]":     "ok   ok    403    403     ok    |     ok    ok    403    403     ok    | ok       | 401",
  "listRoles [iam:read]":                                 "ok   ok    ok     403     ok    |     ok    ok    ok     403     ok    | ok       | 401",
  "listPolicies [iam:read]":                              "ok   ok    ok     403     ok    |     ok    ok    ok     403     ok    | ok       | 401",
  "listPermissions [iam:read]":                           "ok   ok    ok     403     ok    |     ok    ok    ok     403     ok    | ok       | 401",
  // --- audit log ----------------------------------------------------------------------------------------------------------------------
  "listAuditEvents [iam:read]":                           "ok   ok    ok     403     ok    |     ok    ok    ok     403     ok    | ok       | 401",
  "listAuditFilterOptions [iam:read]":                    "ok   ok    ok     403     ok    |     ok    ok    ok     403     ok    | ok       | 401",
} as const;

export type ScenarioName = keyof typeof TABLE;

/** One row of the table as outcomes by actor; throws on a malformed row. */
export function expectedRow(name: ScenarioName): Record<ActorName, Outcome> {
  const cells = TABLE[name].replace(/\|/g, " ").trim().split(/\s+/);
  if (cells.length !== ACTORS.length) throw new Error(`Row "${name}" has ${cells.length} cells, not ${ACTORS.length}`);
  return Object.fromEntries(
    ACTORS.map((actor, i) => {
      const cell = cells[i]!;
      if (!["ok", "401", "403", "409"].includes(cell)) throw new Error(`Row "${name}": bad cell "${cell}"`);
      return [actor, cell === "ok" ? "ok" : (Number(cell) as Outcome)];
    }),
  ) as Record<ActorName, Outcome>;
}

/** The permission a row needs, from its name: "[user:manage]". */
export function neededPermission(name: ScenarioName): string {
  const match = /\[([a-zA-Z]+:[a-z]+)\]$/.exec(name);
  if (!match) throw new Error(`Row "${name}" does not name its permission`);
  return match[1]!;
}
