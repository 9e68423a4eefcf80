"use client";
// A page-level success message for actions whose row disappears when they succeed (remove,
// revoke): a toast inside that row would unmount with it before anyone could read it.
import { createContext, useActionState, useCallback, useContext, useState, type ReactNode } from "react";
import { ConfirmSubmit } from "@/app/_components/confirm-submit";
import type { ActionResult } from "@/lib/actions/run";

const Flash = createContext<(message: ReactNode) => void>(() => undefined);

export function FlashProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<ReactNode>(null);
  const show = useCallback((next: ReactNode) => setMessage(next), []);
  return (
    <Flash.Provider value={show}>
      <div aria-live="polite">
        {message && (
          <div role="status" className="toast row">
            <span>{message}</span>
            <span className="spacer" />
            <button type="button" className="button button-secondary" onClick={() => setMessage(null)}>
              Dismiss
            </button>
          </div>
        )}
      </div>
      {children}
    </Flash.Provider>
  );
}

/** Shows a message at the top of the enclosing FlashProvider. */
export function useFlash() {
  return useContext(Flash);
}

/**
 * A confirmed action that takes its own row away (removing a member, revoking an invitation): one
 * hidden field names the row, the button asks first, success is flashed at the top of the page and
 * a failure shows next to the button.
 */
export function RowRemovalForm<T>({
  action,
  name,
  value,
  hidden = {},
  success,
  label,
  title,
  description,
  confirmLabel,
  children,
}: {
  action: (prev: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;
  /** The hidden field that identifies the row. */
  name: string;
  value: string | number;
  /** More hidden fields, such as the project a row belongs to. */
  hidden?: Record<string, string>;
  /** Flashed when the action succeeds. */
  success: string;
  /** The form's accessible name. */
  label: string;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  children: ReactNode;
}) {
  const flash = useFlash();
  // Flashed from the action itself: the row (and this component) unmounts with the same update.
  const [state, dispatch] = useActionState(async (prev: ActionResult<T> | null, form: FormData) => {
    const result = await action(prev, form);
    if (result.ok) flash(success);
    return result;
  }, null);
  return (
    <form action={dispatch} aria-label={label}>
      <input type="hidden" name={name} value={value} />
      {Object.entries(hidden).map(([field, fieldValue]) => (
        <input key={field} type="hidden" name={field} value={fieldValue} />
      ))}
      <ConfirmSubmit title={title} description={description} confirmLabel={confirmLabel}>
        {children}
      </ConfirmSubmit>
      {state && !state.ok && (
        <p role="alert" className="alert alert-error">
          {state.error}
        </p>
      )}
    </form>
  );
}
