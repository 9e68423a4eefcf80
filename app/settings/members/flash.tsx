"use client";
// A page-level success message for actions whose row disappears when they succeed (remove,
// revoke): a toast inside that row would unmount with it before anyone could read it.
import { createContext, useCallback, useContext, useState, type ReactNode } from "react";

const Flash = createContext<(message: string) => void>(() => undefined);

export function FlashProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<string | null>(null);
  const show = useCallback((next: string) => setMessage(next), []);
  return (
    <Flash.Provider value={show}>
      <div aria-live="polite">
        {message && (
          <p role="status" className="toast row">
            <span>{message}</span>
            <span className="spacer" />
            <button type="button" className="button button-secondary" onClick={() => setMessage(null)}>
              Dismiss
            </button>
          </p>
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
