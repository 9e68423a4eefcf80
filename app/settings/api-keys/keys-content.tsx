// The body of an API keys page, the organization's or a project's (`projectId`): the create
// form for those who may manage keys, then the redacted list with its per-key controls.
import { Time } from "@/app/_components/time";
import { FlashProvider } from "@/app/settings/_components/flash";
import type { ApiKeyDto } from "@/lib/validation/api-keys";
import { ApiKeyActions, CreateApiKeyForm } from "./api-key-forms";
import styles from "./api-keys.module.css";

export function KeysContent({
  keys,
  canManage,
  managers,
  projectId,
}: {
  keys: ApiKeyDto[];
  canManage: boolean;
  /** Who can create keys, for those who cannot: "An Owner or Admin". */
  managers: string;
  projectId?: string;
}) {
  const now = new Date().toISOString();
  return (
    <>
      {canManage && (
        <section className="card" aria-labelledby="create-key-heading">
          <h2 id="create-key-heading">Create a key</h2>
          <CreateApiKeyForm projectId={projectId} />
        </section>
      )}
      <section className="card" aria-labelledby="keys-heading">
        <h2 id="keys-heading">Keys</h2>
        {/* What Deactivate / Delete did shows here, above the table, not in the row's cell. */}
        <FlashProvider>
          {keys.length === 0 ? (
            <div className="empty">
              <p>
                <strong>No API keys yet.</strong>
              </p>
              <p>{canManage ? "Create one above to connect the SDKs or your scripts." : `${managers} can create one.`}</p>
            </div>
          ) : (
            <div className="table-scroll" role="region" aria-label="API keys table" tabIndex={0}>
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
                        <Time iso={key.created_at} now={now} />
                      </td>
                      <td>{key.lastUsed ? <Time iso={key.lastUsed} now={now} /> : <span className="muted">Never</span>}</td>
                      <td>
                        {key.valid ? <span className="badge badge-green">Active</span> : <span className="badge badge-red">Deactivated</span>}
                      </td>
                      {canManage && (
                        <td>
                          <ApiKeyActions id={key.id} name={key.name ?? `Key #${key.id}`} valid={key.valid} projectId={projectId} />
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </FlashProvider>
      </section>
    </>
  );
}
