"use client";
// A form bound to a server action that returns ActionResult: shows the outcome in a live region
// (a toast for success, an alert for errors), per-field errors next to their inputs, and keeps
// the submit button pending while the action runs. Each problem is said once: a field's error
// at the field (which is marked aria-invalid and focused), the alert only for what no field of
// this form shows.
import {
  createContext,
  startTransition,
  useActionState,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
} from "react";
import type { ActionResult } from "@/lib/actions/run";

type FormAction<T> = (state: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;

const FieldErrors = createContext<Record<string, string[]> | undefined>(undefined);
/** FieldError tells its form which field's errors it shows (the rest go to the alert). */
const ClaimField = createContext<(name: string) => () => void>(() => () => undefined);
/** Whether the enclosing ActionForm's action is running (see SubmitButton). */
export const FormPending = createContext(false);

export function ActionForm<T>({
  action,
  children,
  success,
  resetOnSuccess = false,
  render,
  className,
  "aria-label": ariaLabel,
}: {
  action: FormAction<T>;
  children: ReactNode;
  /** Message shown after a successful submit (or built from the result data). */
  success?: string | ((data: T) => string);
  resetOnSuccess?: boolean;
  /** Extra output rendered from the last successful result (e.g. per-email outcomes). */
  render?: (data: T) => ReactNode;
  className?: string;
  "aria-label"?: string;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const formRef = useRef<HTMLFormElement>(null);
  const [claimed, setClaimed] = useState<ReadonlySet<string>>(() => new Set());
  const claim = useCallback((name: string) => {
    setClaimed((prev) => (prev.has(name) ? prev : new Set(prev).add(name)));
    return () =>
      setClaimed((prev) => {
        const next = new Set(prev);
        next.delete(name);
        return next;
      });
  }, []);
  // React resets a <form action> after every submit, which would wipe what the user typed
  // when the result is an error. Once hydrated, submit through a transition instead (no
  // automatic reset); before hydration the plain form action still works.
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const data = new FormData(event.currentTarget, submitter);
    startTransition(() => formAction(data));
  };
  useEffect(() => {
    if (state?.ok && resetOnSuccess) formRef.current?.reset();
  }, [state, resetOnSuccess]);
  // The fields of a failed submit are marked invalid, and the first one takes the focus, so a
  // keyboard or screen-reader user lands on the problem and hears its message (aria-describedby).
  useEffect(() => {
    const form = formRef.current;
    if (!form || state === null) return;
    const errors = state.ok ? {} : (state.fieldErrors ?? {});
    let first: HTMLElement | null = null;
    for (const element of Array.from(form.elements)) {
      if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement || element instanceof HTMLTextAreaElement)) continue;
      if (element.type === "hidden" || !element.name) continue;
      if (errors[element.name]?.length) {
        element.setAttribute("aria-invalid", "true");
        first ??= element;
      } else {
        element.removeAttribute("aria-invalid");
      }
    }
    first?.focus();
  }, [state]);
  const message = state?.ok ? (typeof success === "function" ? success(state.data) : (success ?? state.message)) : undefined;
  const failure = state && !state.ok ? state : null;
  const fieldErrors = failure?.fieldErrors ?? {};
  const unclaimed = Object.keys(fieldErrors).filter((name) => !claimed.has(name));
  // No field errors: the error is about the whole form. Otherwise only what no field shows.
  const alert = !failure
    ? null
    : Object.keys(fieldErrors).length === 0
      ? failure.error
      : unclaimed.flatMap((name) => fieldErrors[name] ?? []).join(" ") || null;
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className={className} aria-label={ariaLabel} noValidate>
      <FormPending.Provider value={pending}>
        <ClaimField.Provider value={claim}>
          <FieldErrors.Provider value={failure?.fieldErrors}>{children}</FieldErrors.Provider>
        </ClaimField.Provider>
      </FormPending.Provider>
      <div aria-live="polite" className="form-status">
        {alert && (
          <p role="alert" className="alert alert-error">
            {alert}
          </p>
        )}
        {message && (
          <p role="status" className="toast">
            {message}
          </p>
        )}
      </div>
      {state?.ok && render ? render(state.data) : null}
    </form>
  );
}

/** The error messages of one field of the enclosing ActionForm, if its last submit failed. */
export function useFieldErrors(name: string): string[] | undefined {
  return useContext(FieldErrors)?.[name];
}

/**
 * Where one field's errors show (give the field `aria-describedby` with this id). Rendered,
 * it also keeps them out of the form's alert.
 */
export function FieldError({ name, id }: { name: string; id?: string }) {
  const errors = useFieldErrors(name);
  const claim = useContext(ClaimField);
  useEffect(() => claim(name), [claim, name]);
  if (!errors?.length) return null;
  return (
    <span id={id ?? `${name}-error`} className="field-error">
      {errors.join(" ")}
    </span>
  );
}
