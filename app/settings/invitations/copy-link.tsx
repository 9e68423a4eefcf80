"use client";
// The one chance to copy an invite link: the action that created (or resent) the invitation
// answered it, and nothing stores it, so leaving the page loses it (the email still has it).
import { useId, useRef, useState } from "react";
import { visuallyHidden } from "@/app/settings/_lib/a11y";

export function CopyLink({ link, email }: { link: string; email: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<"idle" | "copied" | "blocked">("idle");

  async function copy() {
    input.current?.select();
    try {
      // Missing outside secure contexts (a self-hosted instance on plain http).
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(link);
      setState("copied");
    } catch {
      setState("blocked");
    }
  }

  return (
    <div>
      <label htmlFor={id} style={visuallyHidden}>
        Invite link for {email}
      </label>
      <div className="row" style={{ flexWrap: "nowrap", gap: 8 }}>
        <input
          id={id}
          ref={input}
          type="text"
          readOnly
          value={link}
          onFocus={(e) => e.currentTarget.select()}
          style={{ fontFamily: "ui-monospace, monospace", fontSize: 12, minWidth: 160 }}
        />
        <button type="button" className="button button-secondary" onClick={copy} style={{ whiteSpace: "nowrap" }}>
          {state === "copied" ? "Copied" : "Copy invite link"}
        </button>
      </div>
      <span className="hint" aria-live="polite">
        {state === "blocked"
          ? "Your browser blocked copying. The link is selected: press Ctrl+C (⌘C on a Mac)."
          : `Shown only now. Only someone signed in as ${email} can accept it.`}
      </span>
    </div>
  );
}
