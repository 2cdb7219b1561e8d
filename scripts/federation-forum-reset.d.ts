import { type PlatformConfig } from '../services/platform/src/config.ts';
export declare function resetForumTopics(config: PlatformConfig): Promise<void>;
