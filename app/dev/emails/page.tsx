// Development only: every email template rendered from its default props, as HTML (iframe) and
// plain text. 404 in production.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { EMAIL_PREVIEWS, renderPreview } from "@/emails";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Email previews", robots: { index: false } };

export default async function EmailPreviewsPage() {
  if (env().NODE_ENV === "production") notFound();

  const rendered = await Promise.all(
    EMAIL_PREVIEWS.map(async (preview) => ({ kind: preview.kind, ...(await renderPreview(preview)) })),
  );

  return (
    <main id="main" tabIndex={-1} className="container">
      <h1>Email previews</h1>
      <p className="muted">
        Each template rendered from its default props (the fixtures in <code>emails/</code>).
        Development only.
      </p>
      <nav>
        <ul>
          {rendered.map(({ kind }) => (
            <li key={kind}>
              <a href={`#${kind}`}>{kind}</a>
            </li>
          ))}
        </ul>
      </nav>
      {rendered.map(({ kind, subject, text }) => (
        <section key={kind} id={kind} className="card" style={{ marginTop: 24 }}>
          <h2 style={{ marginTop: 0 }}>
            <code>{kind}</code>
          </h2>
          <p>
            <span className="muted">Subject:</span> {subject}
          </p>
          <iframe
            src={`/dev/emails/${kind}`}
            title={`${kind} email (HTML)`}
            sandbox=""
            style={{ width: "100%", height: 560, border: "1px solid var(--border)", borderRadius: 8 }}
          />
          <h3>Plain text</h3>
          <pre style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere", fontSize: 13 }}>{text}</pre>
        </section>
      ))}
    </main>
  );
}
