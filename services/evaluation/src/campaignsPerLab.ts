// One campaign at each lab: how each lab of a federation sees a campaign that spans labs,
// against how central detection sees it (issue 14, "every cross-lab campaign appears as one
// campaign at each lab involved"). For every labelled campaign with members at two or more labs
// that central detection alerts as a campaign: the campaign ids of central's campaign alerts
// covering its members, and, at each lab whose members those alerts cover, the campaign ids of
// the alerts in that lab's feed (`detect --federated`, by `recipient_lab`) covering its members
// there. The campaign is one campaign at each lab when every such lab shows the same ids, at
// least one, and no more than central detection shows (central itself shows a campaign under two
// ids when the linker merges it into a larger one; the federation may do no worse). A lab's own
// local campaign alert beside the forum's, or a forum id that changes at one lab, fails it.
// Pure: takes parsed labels and alerts, never opens files.
import type { Labels } from '@distillwatch/simulator';

/** What the check reads of an alert: central alerts lack `recipient_lab`. */
export interface CampaignAlert {
  subject_kind: 'account' | 'campaign';
  subject_id: string;
  accounts: ReadonlyArray<{ lab: string; account_id: string }>;
  recipient_lab?: string;
}

export interface CampaignPerLab {
  campaign_id: string;
  archetype: string;
  /** Central detection's campaign ids covering the campaign's members, sorted. */
  central: string[];
  /** Lab -> the campaign ids its feed shows on its members there, sorted (labs central's campaign alerts cover). */
  labs: Record<string, string[]>;
  one: boolean;
}

/** Every cross-lab campaign of the labels that central detection alerts as a campaign, in label order. */
export function campaignsPerLab(labels: Pick<Labels, 'campaigns'>, central: readonly CampaignAlert[], federated: readonly CampaignAlert[]): CampaignPerLab[] {
  const out: CampaignPerLab[] = [];
  for (const c of labels.campaigns) {
    if (new Set(c.accounts.map((a) => a.lab)).size < 2) continue;
    const members = new Set(c.accounts.map(keyOf));
    const covers = (a: CampaignAlert) => a.subject_kind === 'campaign' && a.accounts.some((x) => members.has(keyOf(x)));
    const centralAlerts = central.filter(covers);
    if (centralAlerts.length === 0) continue;
    const labs: Record<string, string[]> = {};
    for (const lab of [...new Set(centralAlerts.flatMap((a) => a.accounts.filter((x) => members.has(keyOf(x))).map((x) => x.lab)))].sort()) {
      labs[lab] = idsOf(federated.filter((a) => a.recipient_lab === lab && covers(a)));
    }
    const centralIds = idsOf(centralAlerts);
    const shown = Object.values(labs).map((ids) => ids.join(' '));
    const one = new Set(shown).size === 1 && labs[Object.keys(labs)[0]!]!.length > 0 && labs[Object.keys(labs)[0]!]!.length <= centralIds.length;
    out.push({ campaign_id: c.campaign_id, archetype: c.archetype, central: centralIds, labs, one });
  }
  return out;
}

const keyOf = (a: { lab: string; account_id: string }) => `${a.lab}/${a.account_id}`;
const idsOf = (alerts: readonly CampaignAlert[]) => [...new Set(alerts.map((a) => a.subject_id))].sort();
