export { createInvitations } from "./create";
export { listInvitations, resendInvitation, revokeInvitation } from "./manage";
export { hashInviteToken } from "./tokens";
