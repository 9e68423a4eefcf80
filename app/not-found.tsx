// The 404 page for every unknown path (and for what a page hides with notFound(), such as a
// project the user is not in): in the app's own frame, so it has the skip link's target, the
// colour scheme and a way back.
import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main id="main" tabIndex={-1} className="auth-card">
      <Link href="/" className="wordmark">
        Confident
      </Link>
      <div className="card stack">
        <h1>This page could not be found</h1>
        <p className="muted">The address may be mistyped, or the page is not one you can open.</p>
        <Link href="/" className="button button-primary">
          Go to the home page
        </Link>
      </div>
    </main>
  );
}
