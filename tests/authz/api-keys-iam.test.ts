// The authorization matrix for API keys, the audit log, roles, policies and permissions (rows in
// expectations.ts).
import { matrix } from "./matrix";
import { API_KEYS_AND_AUDIT } from "./scenarios/api-keys-audit";
import { IAM } from "./scenarios/iam";

matrix([...API_KEYS_AND_AUDIT, ...IAM]);
