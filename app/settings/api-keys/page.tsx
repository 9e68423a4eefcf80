import type { Metadata } from "next";
import { requireSettingsContext } from "@/app/settings/_lib/context";
import { formatDateTime } from "@/lib/format";
import { listApiKeys } from "@/lib/services/api-keys";
import type { ServiceContext } from "@/lib/services/context";
import { ApiKeyActions, CreateApiKeyForm } from "./api-key-forms";
import styles from "./api-keys.module.css";

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
        <KeysContent ctx={ctx} canManage={held.has("apiKey:manage")} />
      ) : (
        <p className="alert alert-info">Your role does not allow viewing API keys. Ask an Owner or Admin for access.</p>
      )}
    </div>
  );
}

async function KeysContent({ ctx, canManage }: { ctx: ServiceContext; canManage: boolean }) {
  const keys = await listApiKeys(ctx);
  return (
    <>
      {canManage && (
        <section className="card" aria-labelledby="create-key-heading">
          <h2 id="create-key-heading">Create a key</h2>
          <CreateApiKeyForm />
        </section>
      )}
      <section className="card" aria-labelledby="keys-heading">
        <h2 id="keys-heading">Keys</h2>
        {keys.length === 0 ? (
          <div className="empty">
            <p>
              <strong>No API keys yet.</strong>
            </p>
            <p>{canManage ? "Create one above to connect the SDKs or your scripts." : "An Owner or Admin can create one."}</p>
          </div>
        ) : (
          <div className={styles.tableWrap}>
            <table className="table">
              <caption className={`muted ${styles.caption}`}>
                {keys.length} {keys.length === 1 ? "key" : "keys"}; only the last 6 characters of each are shown.
              </caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Acts as</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                  {canManage && (
                    <th scope="col">
                      <span className={styles.srOnly}>Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {keys.map((key) => (
                  <tr key={key.id}>
                    <td>{key.name ?? <span className="muted">Untitled</span>}</td>
                    <td>
                      <code className={styles.key}>{key.value}</code>
                    </td>
                    <td>{key.createdBy ? (key.createdBy.name ?? key.createdBy.email) : <span className="muted">Operator (Owner)</span>}</td>
                    <td>
                      <time dateTime={key.created_at}>{formatDateTime(key.created_at)}</time>
                    </td>
                    <td>{key.lastUsed ? <time dateTime={key.lastUsed}>{formatDateTime(key.lastUsed)}</time> : <span className="muted">Never</span>}</td>
                    <td>
                      {key.valid ? <span className="badge badge-green">Active</span> : <span className="badge badge-red">Deactivated</span>}
                    </td>
                    {canManage && (
                      <td>
                        <ApiKeyActions id={key.id} name={key.name ?? `Key #${key.id}`} valid={key.valid} />
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
