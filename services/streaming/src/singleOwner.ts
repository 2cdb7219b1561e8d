// A kafkajs partition assigner that gives every partition of the subscribed topics to ONE
// member of the group: the scorer's owner. Scoring a window needs the whole population of the
// window (calibration, campaign linking across labs), so the scorer is one task; more scorer
// instances are hot standbys, and Kafka's group protocol is the leader election: when the owner
// leaves or dies, the next rebalance hands everything to another member. The current owner
// says so in its subscription, and keeps the task across rebalances (sticky), so a standby
// joining never moves the state.
import { AssignerProtocol, type PartitionAssigner } from '@distillwatch/platform/kafka';

const OWNER = Buffer.from('owner');
const STANDBY = Buffer.from('standby');

/** `isOwner()` tells the assigner what this member says about itself when it (re)joins. */
export function singleOwnerAssigner(isOwner: () => boolean): PartitionAssigner {
  return ({ cluster }) => ({
    name: 'DistillwatchSingleOwner',
    version: 1,
    protocol({ topics }) {
      return { name: 'DistillwatchSingleOwner', metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: isOwner() ? OWNER : STANDBY }) };
    },
    async assign({ members, topics }) {
      const sorted = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : 1));
      const claims = sorted.filter((m) => AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.userData?.equals(OWNER));
      const owner = (claims[0] ?? sorted[0])!.memberId;
      const everything: Record<string, number[]> = {};
      for (const topic of topics) everything[topic] = cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId).sort((a, b) => a - b);
      return sorted.map((m) => ({
        memberId: m.memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1, assignment: m.memberId === owner ? everything : {}, userData: Buffer.alloc(0),
        }),
      }));
    },
  });
}
