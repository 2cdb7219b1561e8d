// The `--local-alerts confirmed|immediate` flag of `detect --federated` and `run bridge`: how a
// lab's local alerts reach its feed (core labFeed.ts). One parser, so the twin and the bridge
// accept the same values with the same message.
import { LOCAL_ALERT_MODES, type LocalAlertMode } from '@distillwatch/core';
import { UserError } from '../errors.ts';

/** The flag's value; absent: `confirmed`. */
export function localAlertMode(text: string | undefined): LocalAlertMode {
  if (text === undefined) return 'confirmed';
  const mode = LOCAL_ALERT_MODES.find((m) => m === text);
  if (mode === undefined) throw new UserError(`--local-alerts: "${text}" is not one of ${LOCAL_ALERT_MODES.join(', ')}`);
  return mode;
}
