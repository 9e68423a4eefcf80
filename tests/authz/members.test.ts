// The authorization matrix for members (rows in expectations.ts).
import { matrix } from "./matrix";
import { MEMBERS } from "./scenarios/members";

matrix(MEMBERS);
