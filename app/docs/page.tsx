import Link from "next/link";
import { ApiReference } from "./api-reference";
import "./docs.css";

export const dynamic = "force-dynamic";
export const metadata = { title: "API reference" };

// The reference is the served OpenAPI document (generated from the routes' zod schemas), drawn
// in the browser: no copy of it to drift, and nothing loaded from another origin.
export default function DocsPage() {
  return (
    <main id="main" tabIndex={-1} className="docs scheme-light">
      <header className="docs-header">
        <Link href="/" className="wordmark">
          Confident
        </Link>
        <h1>API reference</h1>
        <p className="muted">
          Every <code>/v1</code> call takes an organization API key in the <code>CONFIDENT_API_KEY</code> header, or as{" "}
          <code>Authorization: Bearer &lt;key&gt;</code>; create one under Settings → API keys, and give it to{" "}
          <strong>Authorize</strong> below to try a request. The machine-readable document is{" "}
          <a href="/v1/openapi.json">/v1/openapi.json</a>.
        </p>
      </header>
      <ApiReference url="/v1/openapi.json" />
    </main>
  );
}
