// One event's details as the service describes them (lib/services/audit-details.ts): a line per
// field, "role: Member → Admin", then the request id, whole, and the stored data for the curious.
import { visuallyHidden } from "@/app/settings/_lib/a11y";
import type { AuditDetail } from "@/lib/services/audit-details";
import styles from "./audit-log.module.css";

function Detail({ detail }: { detail: AuditDetail }) {
  if (detail.added || detail.removed) {
    const parts = [
      ...(detail.added ?? []).map((name) => `+ ${name}`),
      ...(detail.removed ?? []).map((name) => `− ${name}`),
    ];
    return <>{parts.join(", ") || "no change"}</>;
  }
  if (detail.from !== undefined || detail.to !== undefined) {
    return (
      <>
        {detail.from} <span aria-hidden="true">→</span>
        <span style={visuallyHidden}>changed to</span> {detail.to}
      </>
    );
  }
  return <>{detail.value}</>;
}

export function DetailList({ details, metadata, requestId }: { details: AuditDetail[]; metadata: unknown; requestId: string | null }) {
  return (
    <div className={styles.detailCell}>
      {details.length > 0 && (
        <ul className={styles.detailList}>
          {details.map((detail, index) => (
            <li key={`${detail.field}-${index}`}>
              <span className={styles.detailField}>{detail.field}:</span> <Detail detail={detail} />
            </li>
          ))}
        </ul>
      )}
      {requestId && (
        <p className={styles.requestId}>
          Request <code className={styles.mono}>{requestId}</code>
        </p>
      )}
      {metadata !== null && metadata !== undefined && (
        <details className={styles.details}>
          <summary>Stored data</summary>
          <pre>{JSON.stringify(metadata, null, 2)}</pre>
        </details>
      )}
    </div>
  );
}
