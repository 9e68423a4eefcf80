"use client";

import { useEffect, useRef, useState } from "react";
import "swagger-ui-dist/swagger-ui.css";

// Swagger UI from swagger-ui-dist's prebuilt bundle, which carries its own dependencies.
// swagger-ui-react imports them as separate modules instead, and Turbopack drops the side-effect
// modules that register ApiDOM's OpenAPI 3.1 refractors ("refract is not a function"), so every
// operation renders empty (vercel/next.js#86507, swagger-api/swagger-ui#10599).
export function ApiReference({ url }: { url: string }) {
  const node = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "ready" | "failed">("loading");

  useEffect(() => {
    let cancelled = false;
    import("swagger-ui-dist/swagger-ui-es-bundle.js").then(
      ({ default: SwaggerUIBundle }) => {
        if (cancelled || !node.current) return;
        SwaggerUIBundle({
          domNode: node.current,
          url,
          // Deep links put an <a href> inside each operation's toggle button (nested controls,
          // which axe-core rejects and screen readers announce badly).
          deepLinking: false,
          docExpansion: "list",
          // The operations inline their schemas; a separate "Schemas" section would be empty.
          defaultModelsExpandDepth: -1,
          displayRequestDuration: true,
          filter: true,
          // Its default validator is an image from validator.swagger.io: nothing leaves this origin.
          validatorUrl: null,
          onComplete: () => {
            // Swagger UI leaves its server picker unnamed.
            node.current?.querySelector("select#servers")?.setAttribute("aria-label", "Server");
            setState("ready");
          },
        });
      },
      () => setState("failed"),
    );
    return () => {
      cancelled = true;
    };
  }, [url]);

  return (
    <section aria-label="API operations" className="docs-viewer" aria-busy={state === "loading"}>
      {state === "loading" && <p className="muted docs-status">Loading the reference…</p>}
      {state === "failed" && (
        <p className="alert alert-error docs-status" role="alert">
          The reference viewer could not load. The document itself is at <a href={url}>{url}</a>.
        </p>
      )}
      {/* Swagger UI owns this element's children; React never renders into it. */}
      <div ref={node} />
    </section>
  );
}
