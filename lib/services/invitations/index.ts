import "server-only";
export { createInvitations } from "./create";
export {
  countInvitations,
  listInvitationPage,
  listInvitations,
  listInvitationsResponse,
  type InvitationFilters,
  type InvitationPage,
} from "./list";
export { resendInvitation, revokeInvitation } from "./manage";
export {
  getInvitationByToken,
  isWellFormedInviteToken,
  listPendingInvitationsForUser,
  answeredInvitationFor,
  type AnsweredInvitation,
  NOT_VALID_MESSAGE,
  type InvitationByToken,
  type PendingInvitationForUser,
} from "./lookup";
export {
  acceptInvitation,
  acceptInvitationById,
  declineInvitation,
  declineInvitationById,
  type InvitationResponse,
  type RespondByIdInput,
  type RespondByTokenInput,
} from "./respond";
export { hashInviteToken } from "./tokens";
export { isExpired } from "./dto";
export { extractAddresses, splitDuplicates } from "./emails";
export { ORGANIZATION_SCOPE, projectScope, type InvitationScope } from "./scope";
export { seatUsage } from "./rules";
