// Runs rows of the expectation table: one test per (scenario, actor) cell, each on a freshly
// built Acme. An allowed cell must show its effect (and its audit event, for a write); a refused
// one must throw the expected AppError and leave every table exactly as it was.
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { authenticateApiKey, settleBackgroundWrites } from "@/lib/services/api-key-auth";
import type { AuditAction } from "@/lib/services/audit";
import { actorId, type Actor, type ServiceContext } from "@/lib/services/context";
import { PERMISSIONS, type Permission } from "@/lib/services/permissions";
import { getPrisma } from "@/lib/db";
import { snapshotTables } from "../helpers/db-snapshot";
import { ACTORS, expectedRow, neededPermission, type ActorName, type ScenarioName } from "./expectations";
import { buildFixture, ORG_ID, USER, type Fixture, type KeyHolder } from "./fixture";

export interface Scenario<R = unknown> {
  name: ScenarioName;
  /** The call under test, as the actor. */
  run(ctx: ServiceContext, f: Fixture): Promise<R>;
  /** What an allowed call did: its answer and the rows it wrote. */
  effect(result: R, f: Fixture, actor: Actor): Promise<void> | void;
  /** For a write: the audit action it must record, attributed to the actor. */
  audit?: AuditAction;
}

/** Keeps each scenario's result type while letting a list hold scenarios of different ones. */
export function scenario<R>(s: Scenario<R>): Scenario {
  return s as unknown as Scenario;
}

const LIMITS = { perKey: 1e6, perOrganization: 1e6 };

const HOLDER: Record<Exclude<ActorName, `key:${string}`>, KeyHolder> = {
  Owner: "owner",
  Admin: "admin",
  Member: "member",
  Lacking: "lacking",
  Exact: "exact",
  operator: "operator",
  departed: "departed",
};

function holderOf(name: ActorName): KeyHolder {
  return name.startsWith("key:") ? HOLDER[name.slice(4) as keyof typeof HOLDER] : HOLDER[name as keyof typeof HOLDER];
}

/** The actor for a cell: a signed-in user, or whatever the real key authentication makes of a key. */
async function resolveActor(name: ActorName, f: Fixture): Promise<Actor | null> {
  const isKey = name.startsWith("key:") || name === "operator" || name === "departed";
  if (!isKey) return { type: "user", userId: USER[holderOf(name) as Exclude<KeyHolder, "operator">], organizationId: ORG_ID };
  const auth = await authenticateApiKey(f.keys[holderOf(name)].raw, LIMITS);
  // lastUsedAt is written in the background; let it land before the "before" snapshot.
  await settleBackgroundWrites();
  return auth?.actor ?? null;
}

type Attempt = { ok: true; result: unknown } | { ok: false; error: unknown };

export function matrix(scenarios: Scenario[]) {
  for (const s of scenarios) {
    const permission = neededPermission(s.name);
    if (!(PERMISSIONS as readonly string[]).includes(permission)) throw new Error(`Unknown permission in "${s.name}"`);
    const expected = expectedRow(s.name);

    describe(s.name, () => {
      it.each(ACTORS.map((actor) => [actor, expected[actor]] as const))("%s → %s", async (name, outcome) => {
        const f = await buildFixture(permission as Permission);
        if (outcome === 401) {
          const before = await snapshotTables();
          expect(await resolveActor(name, f), "the key must not authenticate").toBeNull();
          expect(await snapshotTables()).toEqual(before);
          return;
        }
        const actor = await resolveActor(name, f);
        expect(actor, "the key must authenticate").not.toBeNull();
        const ctx: ServiceContext = { actor: actor!, requestId: `authz-${name}` };
        const authenticated = await snapshotTables();
        const attempt: Attempt = await s.run(ctx, f).then(
          (result) => ({ ok: true, result }),
          (error: unknown) => ({ ok: false, error }),
        );

        if (outcome === "ok") {
          if (!attempt.ok) throw new Error(`expected the call to be allowed, it threw: ${String(attempt.error)}`);
          await s.effect(attempt.result, f, actor!);
          if (s.audit) {
            const events = await getPrisma().auditEvent.count({
              where: { organizationId: ORG_ID, action: s.audit, actorType: actor!.type, actorId: actorId(actor!), requestId: ctx.requestId },
            });
            expect(events, `an ${s.audit} event by the actor`).toBeGreaterThan(0);
          }
          return;
        }
        if (attempt.ok) throw new Error(`expected ${outcome}, the call was allowed and answered ${JSON.stringify(attempt.result)}`);
        expect(attempt.error).toBeInstanceOf(AppError);
        // The message rides along so a wrong status shows which check refused.
        const { status, message } = attempt.error as AppError;
        expect({ status, message }).toMatchObject({ status: outcome });
        expect(await snapshotTables(), "a refused call writes nothing").toEqual(authenticated);
      });
    });
  }
}
