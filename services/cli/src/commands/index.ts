// The subcommands, in the order `distillwatch --help` lists them. Each module is imported only
// when its subcommand runs (its name and summary live here), so start-up stays fast.
import type { CommandEntry } from '../command.ts';

export const commands: CommandEntry[] = [
  { name: 'detect', summary: 'offline detection over an NDJSON file of usage events', load: async () => (await import('./detect.ts')).detect },
  { name: 'simulate', summary: 'write a synthetic labelled usage stream', load: async () => (await import('./simulate.ts')).simulate },
  { name: 'evaluate', summary: 'score alerts against simulator labels; metrics JSON and an HTML report', load: async () => (await import('./evaluate.ts')).evaluate },
  { name: 'produce', summary: 'ship an NDJSON usage log into Kafka as Avro', load: async () => (await import('./produce.ts')).produce },
  { name: 'run', summary: 'the streaming services: aggregator, scorer, all in one process, notifier; federation: forum, bridge', load: async () => (await import('./run.ts')).run },
  { name: 'replay', summary: 're-run detection over the usage events of a time range read from the usage topic', load: async () => (await import('./replay.ts')).replay },
  { name: 'alerts', summary: 'on-call view of the alerts topic: alerts tail, human-readable or --json', load: async () => (await import('./alerts.ts')).alerts },
  { name: 'verdict', summary: 'publish an on-call verdict on an alert to alert-verdicts', load: async () => (await import('./verdict.ts')).verdict },
  { name: 'ui', summary: 'serve the live dashboard on localhost (token required)', load: async () => (await import('./ui.ts')).ui },
  { name: 'infra', summary: 'Start, stop or report the local Kafka broker and schema registry', load: async () => (await import('./infra.ts')).infra },
];
