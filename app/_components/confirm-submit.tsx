"use client";
// A submit that asks first, in an accessible native <dialog> (focus is trapped and Escape
// cancels), saying exactly what will happen: destructive ("danger") or just consequential
// ("primary", e.g. a resend that invalidates the link sent before). The row button that opens
// it is a secondary one either way.
import { useContext, useId, useRef, type ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { FormPending } from "./action-form";

export function ConfirmSubmit({
  children,
  title,
  description,
  confirmLabel,
  variant = "danger",
}: {
  children: ReactNode;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  variant?: "danger" | "primary";
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const status = useFormStatus();
  const inActionForm = useContext(FormPending);
  const pending = status.pending || inActionForm;
  return (
    <>
      <button type="button" className="button button-secondary" disabled={pending} onClick={() => dialog.current?.showModal()}>
        {pending ? "Working…" : children}
      </button>
      <dialog ref={dialog} className="dialog" aria-labelledby={titleId}>
        <h3 id={titleId}>{title}</h3>
        <div className="muted">{description}</div>
        <div className="dialog-actions">
          <button type="button" className="button button-secondary" onClick={() => dialog.current?.close()} autoFocus>
            Cancel
          </button>
          <button type="submit" className={`button button-${variant}`} onClick={() => dialog.current?.close()}>
            {confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
