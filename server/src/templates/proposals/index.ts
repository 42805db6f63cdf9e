// Proposals: a system admin proposes a template for channels of one or more teams; each team's admins
// decide per channel; approved channels are applied at once (../apply.ts). One file per job.

export {applyItem} from './applyItem';
export type {WriteContext} from './context';
export {createProposal} from './create';
export {decide, decideAllPending, retry, rollback} from './decide';
export {addNewChannel} from './newChannels';
export {reviewLink, teamAdminIds} from './notify';
export {listProposals, myReviewTeams, proposalDetail, readProposal, readTeamPart, teamInbox, teamReview} from './read';
export {recoverInterrupted, recoveryGraceMs} from './recovery';
