// The one path every settings server action takes: session → active organization → parse the
// contract's zod schema → service → revalidate → a typed result the form can show. Permissions
// are not checked here: the service is the one gate, for the UI and the API alike. Raw exception
// text never reaches the browser.
import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { getWorkspace } from "@/lib/auth/session";
import { AppError, fromDatabaseError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { ServiceContext } from "@/lib/services/context";
import { invalidForm } from "./field-errors";

export const VERIFY_FIRST = "Verify your email address first: open the link we emailed you.";

/**
 * A failure's `fieldErrors` are shown at their fields (by ActionForm); `error` is the one message
 * for the form as a whole, which a form shows only when no field of it shows the problem.
 */
export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | { ok: false; error: string; fieldErrors?: Record<string, string[]> };

export interface ActionOptions<S extends z.ZodType> {
  schema: S;
  /** Paths whose server-rendered data this action changes (fixed, or from the parsed input). */
  revalidate?: string[] | ((data: z.output<S>) => string[]);
}

export async function runOrgAction<S extends z.ZodType, R>(
  input: unknown,
  options: ActionOptions<S>,
  service: (ctx: ServiceContext, data: z.output<S>) => Promise<R>,
): Promise<ActionResult<R>> {
  const requestId = randomUUID();
  try {
    const workspace = await getWorkspace();
    if (!workspace) return { ok: false, error: "Your session has ended. Sign in again." };
    if (!workspace.user.emailVerified) return { ok: false, error: VERIFY_FIRST };
    if (!workspace.active) return { ok: false, error: "You are not a member of any organization." };
    const ctx: ServiceContext = {
      actor: { type: "user", userId: workspace.user.id, organizationId: workspace.active.id },
      requestId,
    };
    const parsed = options.schema.safeParse(input);
    if (!parsed.success) return invalidForm(parsed.error);
    const data = await service(ctx, parsed.data);
    const paths = typeof options.revalidate === "function" ? options.revalidate(parsed.data) : (options.revalidate ?? []);
    for (const path of paths) revalidatePath(path);
    return { ok: true, data };
  } catch (error) {
    return actionFailure(error, "Server action", requestId);
  }
}

/**
 * What a form is told when an action fails: our own errors (and database errors we understand,
 * such as an outage) in their words; anything else is a bug, logged with a reference the person
 * can quote. The one mapping for every server action.
 */
export function actionFailure(error: unknown, what: string, requestId: string = randomUUID()): { ok: false; error: string } {
  const known = error instanceof AppError ? error : fromDatabaseError(error);
  if (known && known.code !== "internal") return { ok: false, error: known.message };
  log.error(`${what} failed`, { requestId, stack: error instanceof Error ? error.stack : String(error) });
  return { ok: false, error: `Something went wrong (reference ${requestId}). Please try again.` };
}

/** FormData as a plain object; fields listed in `lists` become arrays of all their values. */
export function formToObject(form: FormData, lists: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = form.getAll(key).filter((v): v is string => typeof v === "string");
    out[key] = lists.includes(key) ? values : values[0];
  }
  return out;
}
