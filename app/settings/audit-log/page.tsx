import type { Metadata } from "next";
import Link from "next/link";
import { Time } from "@/app/_components/time";
import { requireSettingsContext } from "@/app/settings/_lib/context";
import { AuditLogQuery, listAuditEvents, listAuditFilterOptions, type AuditLogPage } from "@/lib/services/audit-log";
import type { ServiceContext } from "@/lib/services/context";
import { listProjects } from "@/lib/services/projects/projects";
import styles from "./audit-log.module.css";
import { DetailList } from "./details";
import { actionLabel, eventLabel } from "./labels";
import { TimeZoneField } from "./time-zone-field";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit log" };

const PATH = "/settings/audit-log";

type SearchParams = Record<string, string | string[] | undefined>;

type Query = { page: number; action?: string; actor?: string; projectId?: string; from?: string; to?: string; timeZone?: string };
type Filters = Omit<Query, "page">;

/**
 * Lenient on purpose: filters a hand-edited or stale URL gets wrong are dropped (and the page
 * says so) rather than failing the page.
 */
function queryFrom(params: SearchParams): { query: Query; problem?: string } {
  const one = (name: string) => (typeof params[name] === "string" && params[name] ? (params[name] as string) : undefined);
  const page = Number(one("page") ?? 1);
  const query = {
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
    action: one("action"),
    actor: one("actor"),
    projectId: one("project"),
    from: one("from"),
    to: one("to"),
    timeZone: one("tz"),
  };
  const parsed = AuditLogQuery.safeParse(query);
  if (parsed.success) return { query };
  return { query: { page: query.page }, problem: parsed.error.issues[0]?.message };
}

function hrefFor(query: Filters, page: number) {
  const params = new URLSearchParams();
  if (query.action) params.set("action", query.action);
  if (query.actor) params.set("actor", query.actor);
  if (query.projectId) params.set("project", query.projectId);
  if (query.from) params.set("from", query.from);
  if (query.to) params.set("to", query.to);
  if ((query.from || query.to) && query.timeZone) params.set("tz", query.timeZone);
  if (page > 1) params.set("page", String(page));
  const search = params.toString();
  return search ? `${PATH}?${search}` : PATH;
}

export default async function AuditLogPageRoute({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { ctx, permissions: held } = await requireSettingsContext(PATH);
  const { query, problem } = queryFrom(await searchParams);

  return (
    <div className="stack">
      <header>
        <h1>Audit log</h1>
        <p className="muted">
          Every change to the organization and its projects — invitations, members, roles, policies, API keys, projects
          and governance — with who made it and when. Times are in your time zone; hover one for UTC.
        </p>
      </header>
      {problem && held.has("iam:read") && (
        <p role="alert" className="alert alert-warning">
          These filters could not be used ({problem}), so all events are shown.
        </p>
      )}
      {held.has("iam:read") ? (
        <AuditContent ctx={ctx} query={query} />
      ) : (
        <p className="alert alert-info">Your role does not allow viewing the audit log. Ask an Owner or Admin for access.</p>
      )}
    </div>
  );
}

async function AuditContent({ ctx, query }: { ctx: ServiceContext; query: Query }) {
  const [log, options, projects] = await Promise.all([listAuditEvents(ctx, query), listAuditFilterOptions(ctx), listProjects(ctx)]);
  const filtered = Boolean(query.action || query.actor || query.projectId || query.from || query.to);
  return (
    <section className="card" aria-label="Events">
      <form method="get" action={PATH} className={styles.filters} aria-label="Filter events">
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select id="audit-action" name="action" defaultValue={query.action ?? ""}>
            <option value="">All actions</option>
            {options.actions.map((action) => (
              <option key={action} value={action}>
                {actionLabel(action)} ({action})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-actor">Actor</label>
          <select id="audit-actor" name="actor" defaultValue={query.actor ?? ""}>
            <option value="">Everyone</option>
            {options.actors.map((actor) => (
              <option key={actor.value} value={actor.value}>
                {actor.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-project">Project</label>
          <select id="audit-project" name="project" defaultValue={query.projectId ?? ""}>
            <option value="">All projects and the organization</option>
            {/* A filter from a link may name a project that is gone since; it stays selectable. */}
            {query.projectId && !projects.some((p) => p.id === query.projectId) && (
              <option value={query.projectId}>Project {query.projectId}</option>
            )}
            {projects.map((project) => (
              <option key={project.id} value={project.id}>
                {project.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset className={`field ${styles.dates}`}>
          <legend>Date range</legend>
          <div className={styles.dateInputs}>
            <label htmlFor="audit-from">From</label>
            <input id="audit-from" type="date" name="from" defaultValue={query.from ?? ""} />
            <label htmlFor="audit-to">to</label>
            <input id="audit-to" type="date" name="to" defaultValue={query.to ?? ""} />
          </div>
          <TimeZoneField current={query.timeZone} />
        </fieldset>
        <button type="submit" className="button button-primary">
          Apply filters
        </button>
        {filtered && (
          <Link href={PATH} className="button button-secondary">
            Clear
          </Link>
        )}
      </form>
      <EventsTable log={log} filtered={filtered} query={query} />
    </section>
  );
}

function EventsTable({ log, filtered, query }: { log: AuditLogPage; filtered: boolean; query: Filters }) {
  if (log.total === 0) {
    return (
      <div className="empty">
        <p>
          <strong>{filtered ? "No events match these filters." : "No events yet."}</strong>
        </p>
        <p>{filtered ? "Try another action, actor, project or dates, or clear the filters." : "Changes to members, invitations, roles, API keys and projects will appear here."}</p>
      </div>
    );
  }
  if (log.events.length === 0) {
    return (
      <div className="empty">
        <p>
          <strong>There is no page {log.page}.</strong>
        </p>
        <p>
          <Link href={hrefFor(query, log.pageCount)}>Go to the last page ({log.pageCount})</Link>
        </p>
      </div>
    );
  }
  const first = (log.page - 1) * log.pageSize + 1;
  return (
    <>
      <div className="table-scroll" role="region" aria-label="Audit events table" tabIndex={0}>
        <table className="table">
          <caption className={styles.srOnly}>Audit events, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {log.events.map((event) => (
              <tr key={event.id}>
                <td className={styles.time}>
                  <Time iso={event.createdAt} exact />
                </td>
                <td>{event.actor.label}</td>
                <td>
                  {eventLabel(event.action, event.metadata)}
                  <code className={styles.actionCode}>{event.action}</code>
                </td>
                <td>{event.target ? event.target.label : <span className="muted">—</span>}</td>
                <td>
                  <DetailList details={event.details} metadata={event.metadata} requestId={event.requestId} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className={styles.pager}>
        <span className="muted">
          {first}–{first + log.events.length - 1} of {log.total} {log.total === 1 ? "event" : "events"} · page {log.page} of {log.pageCount}
        </span>
        <nav aria-label="Pages">
          <PageLink href={hrefFor(query, log.page - 1)} enabled={log.page > 1} label="Previous" />
          <PageLink href={hrefFor(query, log.page + 1)} enabled={log.page < log.pageCount} label="Next" />
        </nav>
      </div>
    </>
  );
}

function PageLink({ href, enabled, label }: { href: string; enabled: boolean; label: string }) {
  if (!enabled) {
    return (
      <span className={`button button-secondary ${styles.disabled}`} aria-disabled="true">
        {label}
      </span>
    );
  }
  return (
    <Link href={href} className="button button-secondary" rel={label === "Next" ? "next" : "prev"}>
      {label}
    </Link>
  );
}
