// The filter bar above a settings list: a GET form back to the page with its fields, a submit
// button, and Clear (back to the unfiltered page) once something is filtered. One labelled search
// field comes built in; pages with more fields pass them before it.
import Link from "next/link";
import type { ReactNode } from "react";
import { visuallyHidden } from "@/app/settings/_lib/a11y";

export function SearchForm({
  action,
  label,
  field,
  submit,
  filtered,
  children,
}: {
  /** The page itself. */
  action: string;
  /** The form's accessible name: "Search members". */
  label: string;
  /** The free-text field: its name, current value, and label (also the placeholder). */
  field: { id: string; name: string; value: string; label: string; placeholder?: string };
  submit: string;
  filtered: boolean;
  /** Fields before the text field (a status picker, say). */
  children?: ReactNode;
}) {
  return (
    <form role="search" action={action} className="row" aria-label={label}>
      {children}
      <label htmlFor={field.id} style={visuallyHidden}>
        {field.label}
      </label>
      <input
        id={field.id}
        type="search"
        name={field.name}
        defaultValue={field.value}
        placeholder={field.placeholder ?? field.label}
        style={{ flexGrow: 1, width: "auto" }}
      />
      <button type="submit" className="button button-secondary">
        {submit}
      </button>
      {filtered && (
        <Link href={action} className="button button-secondary">
          Clear
        </Link>
      )}
    </form>
  );
}
