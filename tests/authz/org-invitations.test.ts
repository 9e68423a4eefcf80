// The authorization matrix for organization settings and invitations (rows in expectations.ts).
import { matrix } from "./matrix";
import { ORGANIZATION_AND_INVITATIONS } from "./scenarios/org-invitations";

matrix(ORGANIZATION_AND_INVITATIONS);
