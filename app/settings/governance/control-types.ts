// The kinds of governance control (contract §7), in words.
import type { GovernancePolicyDto } from "@/lib/validation/governance";

export type ControlType = GovernancePolicyDto["controls"][number]["type"];

export const CONTROL_TYPES: Record<ControlType, { label: string; hint: string }> = {
  RUNTIME: { label: "Runtime", hint: "Checked on live traffic, such as guardrails on inputs and outputs." },
  PRE_DEPLOYMENT_EVALS: { label: "Pre-deployment evals", hint: "Evaluations a release must pass before it ships." },
  PRE_DEPLOYMENT_RED_TEAMING: { label: "Pre-deployment red teaming", hint: "Adversarial testing before a release ships." },
  OPERATIONAL: { label: "Operational", hint: "Processes around the system: reviews, monitoring, incident response." },
};

export const CONTROL_TYPE_IDS = Object.keys(CONTROL_TYPES) as ControlType[];
