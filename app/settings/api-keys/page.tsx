import type { Metadata } from "next";
import { requireSettingsContext } from "@/app/settings/_lib/context";
import { listApiKeys } from "@/lib/services/api-keys";
import { KeysContent } from "./keys-content";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API keys" };

const PATH = "/settings/api-keys";

export default async function ApiKeysPage() {
  const { ctx, permissions: held } = await requireSettingsContext(PATH);

  return (
    <div className="stack">
      <header>
        <h1>API keys</h1>
        <p className="muted">
          Organization API keys authenticate requests to the <code>/v1/organization</code> API and the Confident SDKs
          (send the key in the <code>CONFIDENT_API_KEY</code> header). A key acts as the person who created it: it
          can do what they can do at the time of each request, never more, and stops working if they leave the
          organization. Keys registered by the operator act as the Owner.
        </p>
      </header>
      {held.has("apiKey:read") ? (
        <KeysContent keys={await listApiKeys(ctx)} canManage={held.has("apiKey:manage")} managers="An Owner or Admin" />
      ) : (
        <p className="alert alert-info">Your role does not allow viewing API keys. Ask an Owner or Admin for access.</p>
      )}
    </div>
  );
}
