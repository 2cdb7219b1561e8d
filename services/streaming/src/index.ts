// Public surface of @distillwatch/streaming.
export { runStreaming } from './run.ts';
export type { RunOptions, ServiceName } from './run.ts';
export { loadStreamingSettings, SETTINGS_HELP } from './settings.ts';
export type { StreamingSettings } from './settings.ts';

export { streamTopics, internalTopicSpecs } from './topology.ts';
export { Logger } from './log.ts';
export { runForum } from './federation/runForum.ts';
export type { RunForumOptions } from './federation/runForum.ts';
export { forumIdsOf } from './federation/forumService.ts';
export { bridgeQuietMs, forumMaxLabLagMs, loadForumConnection, FEDERATION_SETTINGS_HELP } from './federation/federationSettings.ts';
export { labAlertSchemaText } from './federation/labAlertSchema.ts';
