"use client";
// The interactive parts of the API keys pages, the organization's and each project's
// (`projectId`): creating a key (and revealing it once), deactivating / reactivating and
// deleting one (inside a FlashProvider, which says what happened). NewKey also reveals a new
// project's default key.
import { useRef, useState } from "react";
import { ActionForm, FieldError } from "@/app/_components/action-form";
import { ConfirmSubmit } from "@/app/_components/confirm-submit";
import { SubmitButton } from "@/app/_components/submit-button";
import { RowRemovalForm, useFlash } from "@/app/settings/_components/flash";
import { ProjectField } from "@/app/settings/_components/project-field";
import { createApiKeyAction, deleteApiKeyAction, setApiKeyValidAction } from "@/lib/actions/api-keys";
import type { ActionResult } from "@/lib/actions/run";
import type { ApiKeyDto } from "@/lib/validation/api-keys";
import styles from "./api-keys.module.css";

export function CreateApiKeyForm({ projectId }: { projectId?: string }) {
  return (
    <ActionForm
      action={createApiKeyAction}
      resetOnSuccess
      success={(key) => `Created “${key.name ?? "Untitled"}”.`}
      render={(key) => <NewKey value={key.value} />}
      aria-label="Create an API key"
    >
      <ProjectField projectId={projectId} />
      <div className="field">
        <label htmlFor="api-key-name">Name</label>
        <input id="api-key-name" name="name" type="text" maxLength={100} required autoComplete="off" placeholder="e.g. CI pipeline" aria-describedby="api-key-name-hint api-key-name-error" />
        <span id="api-key-name-hint" className="hint">
          A label to recognize the key by, such as where it is used.
        </span>
        <FieldError name="name" id="api-key-name-error" />
      </div>
      <SubmitButton pendingLabel="Creating…">Create key</SubmitButton>
    </ActionForm>
  );
}

/** The one time the full key is visible: its value lives only in this component's state. */
export function NewKey({ value, label = "Your new API key" }: { value: string; label?: string }) {
  const code = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<"idle" | "copied" | "manual">("idle");

  async function copy() {
    try {
      // navigator.clipboard only exists in secure contexts; self-hosted instances on plain HTTP
      // fall back to selecting the text so Ctrl+C / ⌘C works.
      await navigator.clipboard.writeText(value);
      setCopied("copied");
    } catch {
      if (code.current) window.getSelection()?.selectAllChildren(code.current);
      setCopied("manual");
    }
  }

  return (
    <div className={`card ${styles.reveal}`} role="region" aria-label={label}>
      <p className="alert alert-warning">
        <strong>Copy this key now. It will not be shown again.</strong> Store it somewhere safe, such as a secret manager.
      </p>
      <code ref={code} className="secret" data-testid="new-api-key">
        {value}
      </code>
      <div className="row">
        <button type="button" className="button button-secondary" onClick={copy}>
          {copied === "copied" ? "Copied" : "Copy"}
        </button>
        <span className="muted" aria-live="polite">
          {copied === "copied" && "Copied to the clipboard."}
          {copied === "manual" && "The key is selected: press Ctrl+C (⌘C on a Mac) to copy it."}
        </span>
      </div>
    </div>
  );
}

/**
 * Deactivate / reactivate and delete. What they did is said above the table (useFlash), not in
 * this cell: a message here would widen the column and reflow the table, and a deleted key's row
 * (with the cell) is gone before anyone could read it.
 */
export function ApiKeyActions({ id, name, valid, projectId }: { id: number; name: string; valid: boolean; projectId?: string }) {
  const flash = useFlash();
  const toggle = async (prev: ActionResult<ApiKeyDto> | null, form: FormData) => {
    const result = await setApiKeyValidAction(prev, form);
    if (result.ok) {
      flash(
        result.data.valid
          ? `Reactivated the API key “${name}”: it works again.`
          : `Deactivated the API key “${name}”: requests using it fail until you reactivate it.`,
      );
    }
    return result;
  };
  return (
    <div className={styles.actions}>
      <ActionForm action={toggle} aria-label={`${valid ? "Deactivate" : "Reactivate"} ${name}`}>
        <input type="hidden" name="apiKeyId" value={id} />
        <ProjectField projectId={projectId} />
        <input type="hidden" name="valid" value={valid ? "false" : "true"} />
        {valid ? (
          <ConfirmSubmit
            title={`Deactivate “${name}”?`}
            description="Requests using this key will fail until you reactivate it."
            confirmLabel="Deactivate key"
          >
            Deactivate
          </ConfirmSubmit>
        ) : (
          <SubmitButton variant="secondary" pendingLabel="Reactivating…">
            Reactivate
          </SubmitButton>
        )}
      </ActionForm>
      <RowRemovalForm
        action={deleteApiKeyAction}
        name="apiKeyId"
        value={id}
        hidden={projectId ? { projectId } : undefined}
        success={`Deleted the API key “${name}”. Requests using it now fail.`}
        label={`Delete ${name}`}
        title={`Delete “${name}”?`}
        description="Requests using this key will fail immediately. This cannot be undone."
        confirmLabel="Delete key"
      >
        Delete
      </RowRemovalForm>
    </div>
  );
}
