// `distillwatch run forum` and `run bridge`: the federation's two services (README
// "Federation"). This module only parses flags, settings and the key file; the services live in
// services/streaming/src/federation.
import { FederationKeyError, parseFederationKeys } from '@distillwatch/core';
import {
  bridgeQuietMs, forumMaxLabLagMs, loadForumConnection, loadStreamingSettings, runForum, runStreaming,
} from '@distillwatch/streaming';
import { parseFlags, required } from '../command.ts';
import { UserError } from '../errors.ts';
import { readJsonDocument } from '../io/jsonDocument.ts';
import { loadDetectorConfig } from './detect.ts';
import { localAlertMode } from './localAlertMode.ts';

/** A lab name as the federation's topics and ACLs spell it. */
const LAB_NAME = /^[a-z0-9][a-z0-9-]*$/;

export async function runForumCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { labs: { type: 'string' }, config: { type: 'string' } });
  const labs = required(values.labs, 'labs').split(',').map((l) => l.trim()).filter((l) => l !== '');
  const bad = labs.find((l) => !LAB_NAME.test(l));
  if (labs.length === 0 || bad !== undefined) throw new UserError(`--labs: expected lab names like lab-a,lab-b${bad === undefined ? '' : ` (got "${bad}")`}`);
  const settings = loadStreamingSettings();
  const detector = await loadDetectorConfig(values.config ?? settings.detectorConfigFile ?? undefined);
  return await runForum({ settings, detector, labs: [...new Set(labs)].sort(), maxLabLagMs: forumMaxLabLagMs() });
}

export async function runBridgeCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { lab: { type: 'string' }, 'forum-key-file': { type: 'string' }, config: { type: 'string' }, 'local-alerts': { type: 'string' } });
  const localAlerts = localAlertMode(values['local-alerts']);
  const lab = required(values.lab, 'lab');
  if (!LAB_NAME.test(lab)) throw new UserError(`--lab: "${lab}" is not a lab name like lab-a`);
  const keyPath = required(values['forum-key-file'], 'forum-key-file');
  const keys = await readJsonDocument(keyPath, parseFederationKeys, FederationKeyError);
  try {
    keys.labKey(lab);
  } catch (err) {
    if (err instanceof FederationKeyError) throw new UserError(`${keyPath}: ${err.message}`);
    throw err;
  }
  const settings = loadStreamingSettings();
  const detector = await loadDetectorConfig(values.config ?? settings.detectorConfigFile ?? undefined);
  return await runStreaming({ service: 'bridge', settings, detector, bridge: { lab, keys, forum: loadForumConnection(), quietMs: bridgeQuietMs(), localAlerts } });
}
