import { notFound } from "next/navigation";
import { env } from "@/lib/env";
import { listMailbox } from "@/lib/services/dev-mailbox";

export const dynamic = "force-dynamic";
export const metadata = { title: "Development mailbox" };

export default async function DevMailboxPage() {
  if (env().NODE_ENV === "production") notFound();
  const messages = await listMailbox();
  return (
    <main id="main" tabIndex={-1} className="container">
      <h1>Development mailbox</h1>
      <p className="muted">
        No <code>RESEND_API_KEY</code> is set, so email is delivered here instead of being sent. Newest first.
      </p>
      {messages.length === 0 ? (
        <div className="card">
          <p>No messages yet. Invite someone and their invitation will appear here within a few seconds.</p>
        </div>
      ) : (
        messages.map((m) => (
          <article key={m.id} className="card" style={{ marginBottom: 24 }}>
            <h2 style={{ marginTop: 0, fontSize: 18 }}>{m.subject}</h2>
            <p className="muted">
              To <strong>{m.to}</strong> from {m.from} · {m.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC
            </p>
            <iframe
              title={`Email: ${m.subject}`}
              srcDoc={m.html}
              sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
              style={{ width: "100%", height: 480, border: "1px solid var(--border)", borderRadius: 8, background: "#fff" }}
            />
            <details>
              <summary>Plain text</summary>
              <pre style={{ whiteSpace: "pre-wrap" }}>{m.text}</pre>
            </details>
          </article>
        ))
      )}
    </main>
  );
}
