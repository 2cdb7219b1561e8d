// Who may do what on each federation cluster, as plain data: the one statement of the
// federation's access policy, which `infra up --federation` applies and the tests read. It must
// never grant a lab anything on another lab's topics, nor the forum anything on a lab's cluster;
// everything not granted here is refused (allow.everyone.if.no.acl.found=false).
import type { TopicSpec } from '@distillwatch/platform/topics';
import { FORUM_DLQ_TOPIC, FORUM_PRINCIPAL, forumTopics, LAB_NAMES, labPrefix, type ClusterName } from './federation-layout.ts';

export type AclResource = 'topic' | 'group' | 'transactional-id';
export type AclOperation = 'all' | 'read' | 'write' | 'describe';

export interface AclGrant {
  principal: string;
  resource: AclResource;
  /** A whole name (`literal`) or every name that starts with it (`prefixed`). */
  pattern: 'literal' | 'prefixed';
  name: string;
  operations: AclOperation[];
}

/** The grants of one cluster (the admin is a super user and needs none). */
export function clusterGrants(cluster: ClusterName): AclGrant[] {
  return cluster === 'forum' ? forumGrants() : labGrants(cluster);
}

/**
 * On its own cluster a lab runs produce, the aggregator, the scorer and the bridge: everything
 * under its prefix, including the consumer groups and the transactional ids of exactly-once.
 */
function labGrants(lab: (typeof LAB_NAMES)[number]): AclGrant[] {
  const prefix = labPrefix(lab);
  return (['topic', 'group', 'transactional-id'] as const).map((resource) => ({
    principal: `User:${lab}`, resource, pattern: 'prefixed', name: prefix, operations: ['all'],
  }));
}

/**
 * On the forum cluster each lab writes only its own records and verdicts and reads only its own
 * alerts; the forum reads every lab's records and verdicts and writes every lab's alerts and its
 * own dead letters. Consumer
 * groups and transactional ids there start with the principal's name (`lab-a…`, `forum…`).
 */
function forumGrants(): AclGrant[] {
  const perLab = LAB_NAMES.flatMap((lab): AclGrant[] => {
    const topics = forumTopics(lab);
    const principal = `User:${lab}`;
    return [
      { principal, resource: 'topic', pattern: 'literal', name: topics.records, operations: ['write', 'describe'] },
      { principal, resource: 'topic', pattern: 'literal', name: topics.verdicts, operations: ['write', 'describe'] },
      { principal, resource: 'topic', pattern: 'literal', name: topics.alerts, operations: ['read', 'describe'] },
      { principal, resource: 'group', pattern: 'prefixed', name: lab, operations: ['read', 'describe'] },
      { principal, resource: 'transactional-id', pattern: 'prefixed', name: lab, operations: ['write', 'describe'] },
    ];
  });
  const forum = `User:${FORUM_PRINCIPAL}`;
  return [
    ...perLab,
    { principal: forum, resource: 'topic', pattern: 'prefixed', name: 'forum.records.', operations: ['read', 'describe'] },
    { principal: forum, resource: 'topic', pattern: 'prefixed', name: 'forum.verdicts.', operations: ['read', 'describe'] },
    { principal: forum, resource: 'topic', pattern: 'prefixed', name: 'forum.alerts.', operations: ['write', 'describe'] },
    { principal: forum, resource: 'topic', pattern: 'literal', name: FORUM_DLQ_TOPIC, operations: ['write', 'describe'] },
    { principal: forum, resource: 'group', pattern: 'prefixed', name: FORUM_PRINCIPAL, operations: ['read', 'describe'] },
    { principal: forum, resource: 'transactional-id', pattern: 'prefixed', name: FORUM_PRINCIPAL, operations: ['write', 'describe'] },
  ];
}

/**
 * The forum cluster's topics: one records, alerts and verdicts topic per lab. Records carry
 * their window's event time, so, as on the lab clusters, nothing is deleted by age locally.
 */
export function forumClusterTopics(): TopicSpec[] {
  const keepForever = { 'retention.ms': '-1', 'retention.bytes': '-1' };
  // The forum's dead letters (late or unreadable records): only the forum writes it.
  const deadLetters: TopicSpec = { name: FORUM_DLQ_TOPIC, partitions: 1, configs: keepForever };
  return [deadLetters, ...LAB_NAMES.flatMap((lab) => {
    const topics = forumTopics(lab);
    // Records are the bulk (one per account-window); alerts and verdicts are rare.
    return [
      { name: topics.records, partitions: 3, configs: keepForever },
      { name: topics.alerts, partitions: 1, configs: keepForever },
      { name: topics.verdicts, partitions: 1, configs: keepForever },
    ];
  })];
}
