"use client";
// A form bound to a server action that returns ActionResult: shows the outcome in a live region
// (a toast for success, an alert for errors), per-field errors next to their inputs, and keeps
// the submit button pending while the action runs.
import {
  createContext,
  startTransition,
  useActionState,
  useContext,
  useEffect,
  useRef,
  type FormEvent,
  type ReactNode,
} from "react";
import type { ActionResult } from "@/lib/actions/run";

type FormAction<T> = (state: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;

const FieldErrors = createContext<Record<string, string[]> | undefined>(undefined);
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
  const message = state?.ok ? (typeof success === "function" ? success(state.data) : (success ?? state.message)) : undefined;
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className={className} aria-label={ariaLabel} noValidate>
      <FormPending.Provider value={pending}>
        <FieldErrors.Provider value={state && !state.ok ? state.fieldErrors : undefined}>{children}</FieldErrors.Provider>
      </FormPending.Provider>
      <div aria-live="polite" className="form-status">
        {state && !state.ok && (
          <p role="alert" className="alert alert-error">
            {state.error}
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

/** The error messages for one field of the enclosing ActionForm, if its last submit failed. */
export function FieldError({ name, id }: { name: string; id?: string }) {
  const errors = useContext(FieldErrors)?.[name];
  if (!errors?.length) return null;
  return (
    <span id={id ?? `${name}-error`} className="field-error">
      {errors.join(" ")}
    </span>
  );
}
