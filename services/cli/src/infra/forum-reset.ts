// Empties the forum cluster for a fresh demo or test run: deletes the forum's topics (every
// lab's records, alerts and verdicts, and forum.dlq) and makes them again, as
// `infra up --federation` does, and deletes every forum's ledger group (`…forum.distillwatch.forum.sent`).
// The forum re-reads every record ever sent to it when it starts, so a second run on the same
// federation would otherwise score the first run's records too; and a ledger kept from a run of
// the same simulated days would make the next forum publish none of their alerts.
// It needs the forum cluster's admin principal (only the admin may delete topics), and must
// never touch a lab's cluster.
import type { PlatformConfig } from '@distillwatch/platform/config';
import { kafkaClient } from '@distillwatch/platform/kafka';
import { ensureTopics } from '@distillwatch/platform/topics';
import { forumIdsOf } from '@distillwatch/streaming';
import { forumClusterTopics } from './federation-acls.ts';

/** How every forum's ledger group ends, whatever its run's prefix. */
const LEDGER_GROUP_SUFFIX = forumIdsOf('').ledgerGroup;

export async function resetForumTopics(config: PlatformConfig): Promise<void> {
  const kafka = kafkaClient(config, { clientId: 'distillwatch-forum-reset', logLevel: 'nothing', retry: { retries: 8, initialRetryTime: 300 } });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const specs = forumClusterTopics();
    const existing = new Set(await admin.listTopics());
    const doomed = specs.map((s) => s.name).filter((name) => existing.has(name));
    if (doomed.length > 0) await admin.deleteTopics({ topics: doomed });
    // Deletion is asynchronous: a topic is made again only once it is gone.
    for (let attempt = 0; ; attempt++) {
      const left = (await admin.listTopics()).filter((t) => doomed.includes(t));
      if (left.length === 0) break;
      if (attempt >= 60) throw new Error(`forum topics still being deleted after 30 s: ${left.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await ensureTopics(admin, specs);
    const ledgers = (await admin.listGroups()).groups.map((g) => g.groupId).filter((id) => id.endsWith(LEDGER_GROUP_SUFFIX));
    if (ledgers.length > 0) await admin.deleteGroups(ledgers);
  } finally {
    await admin.disconnect();
  }
}
