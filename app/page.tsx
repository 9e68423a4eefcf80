export default function HomePage() {
  return (
    <main className="container">
      <h1>Confident organization</h1>
      <p className="muted">
        Members, invitations, roles and API keys for your self-hosted Confident AI platform.
      </p>
      <div className="card">
        <h2>API</h2>
        <p>
          The organization API lives under <code>/v1/organization</code> and accepts an organization
          API key in the <code>CONFIDENT_API_KEY</code> header. Service status:{" "}
          <a href="/api/health">/api/health</a>.
        </p>
      </div>
    </main>
  );
}
