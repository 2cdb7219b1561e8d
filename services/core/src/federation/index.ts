// Public surface of the federation: one `export ... from` line per module.
export { parseFederationKeys, testFederationKeys, FederationKeyError, MIN_KEY_BYTES } from './keys.ts';
export type { FederationKeys, ForumKeyRing } from './keys.ts';
export { keyedToken } from './tokens.ts';
export type { TokenKind } from './tokens.ts';
export { identityTokens, templateTokens, normaliseIdentifier, normaliseNetworkAgent } from './identityTokens.ts';
export { FORUM_TOPICS, FORUM_TOPIC_TAXONOMY_VERSION, OTHER_TOPIC_ID, forumTopicId, normaliseTopicLabel } from './topicTaxonomy.ts';
export { FORUM_RECORD_VERSION, ForumRecordError, accountPseudonym, featureSetId, forumRecordToFeatures, parseForumRecord, toForumRecord } from './forumRecord.ts';
export { Forum, DEFAULT_FORUM_OPTIONS } from './forum.ts';
export type { ForumCounters, ForumDeadLetter, ForumOptions } from './forum.ts';
export { LabNode, UnknownPseudonymError } from './labNode.ts';
export type { LabNodeStep } from './labNode.ts';
export { compareLabAlerts, forumAlertForLab, labsOf, localLabAlert } from './labAlert.ts';
export type { LabAlert, LinkedAccount } from './labAlert.ts';
export { Federation } from './federation.ts';
export type { FederationStep } from './federation.ts';
export { forumVerdictOf } from './verdicts.ts';
export type { ForumVerdict, LabVerdict, VerdictValue } from './verdicts.ts';
