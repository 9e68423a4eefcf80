"use client";
import { useContext, type ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { FormPending } from "./action-form";

/** A submit button that shows progress and blocks double submits while its form's action runs. */
export function SubmitButton({
  children,
  pendingLabel = "Working…",
  variant = "primary",
  name,
  value,
}: {
  children: ReactNode;
  pendingLabel?: string;
  variant?: "primary" | "secondary" | "danger";
  name?: string;
  value?: string;
}) {
  const status = useFormStatus();
  const inActionForm = useContext(FormPending);
  const pending = status.pending || inActionForm;
  return (
    <button type="submit" className={`button button-${variant}`} disabled={pending} aria-busy={pending} name={name} value={value}>
      {pending ? pendingLabel : children}
    </button>
  );
}
