// Permissions are named `resource:action`; people read them best grouped by what they protect.
// Pure data shaping, shared by the server page and the client forms.

const RESOURCE_LABELS: Record<string, string> = {
  organization: "Organization",
  user: "Members & invitations",
  apiKey: "API keys",
  iam: "Roles & policies",
  billing: "Billing",
  project: "Projects",
  featureAccess: "Feature access",
  sso: "Single sign-on",
  modelCredential: "Model credentials",
  modelCost: "Model costs",
  metric: "Metrics",
  retentionConfig: "Data retention",
  // The project catalogue's own resources, in its order.
  dataset: "Datasets",
  golden: "Goldens",
  metricCollection: "Metric collections",
  evaluationRule: "Evaluation rules",
  trace: "Traces",
  span: "Spans",
  thread: "Threads",
  endUser: "End users",
  testRun: "Test runs",
  testCase: "Test cases",
  experiment: "Experiments",
  prompt: "Prompts",
  promptVersion: "Prompt versions",
  promptLabel: "Prompt labels",
  annotationQueue: "Annotation queues",
  evaluationModel: "Evaluation models",
  transformer: "Transformers",
  aiConnection: "AI connections",
  alertConfig: "Alerts",
  integration: "Integrations",
};

// The catalogue's own order (read before manage) reads better than the alphabet.
const ACTION_ORDER = ["read", "create", "manage", "evaluate", "delete"];

export interface PermissionItem {
  id: string;
  name: string;
  description: string | null;
}

export interface PermissionGroup<P extends PermissionItem = PermissionItem> {
  resource: string;
  label: string;
  permissions: P[];
}

export const actionOf = (name: string) => name.slice(name.indexOf(":") + 1);

/** Groups in the catalogue's resource order (unknown resources last), actions read → delete. */
export function groupPermissions<P extends PermissionItem>(permissions: P[]): PermissionGroup<P>[] {
  const groups = new Map<string, P[]>();
  for (const p of permissions) {
    const resource = p.name.split(":")[0] ?? p.name;
    groups.set(resource, [...(groups.get(resource) ?? []), p]);
  }
  const order = Object.keys(RESOURCE_LABELS);
  const rank = (r: string) => (order.includes(r) ? order.indexOf(r) : order.length);
  const actionRank = (n: string) => {
    const i = ACTION_ORDER.indexOf(actionOf(n));
    return i === -1 ? ACTION_ORDER.length : i;
  };
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([resource, list]) => ({
      resource,
      label: RESOURCE_LABELS[resource] ?? resource,
      permissions: [...list].sort((a, b) => actionRank(a.name) - actionRank(b.name) || a.name.localeCompare(b.name)),
    }));
}
