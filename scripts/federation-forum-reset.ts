// Empties the forum cluster's topics for a fresh demo run (services/cli/src/infra/forum-reset.ts),
// as the forum cluster's admin:
//
//   (set -a; source .local/federation/admin.forum.env; node scripts/federation-forum-reset.ts)
import { loadConfig } from '../services/platform/src/config.ts';
import { resetForumTopics } from '../services/cli/src/infra/forum-reset.ts';

await resetForumTopics(loadConfig());
console.error('forum topics emptied');
