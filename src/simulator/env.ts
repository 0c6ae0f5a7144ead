import type { OpenStreams } from './event-stream.js';
import type { Account } from './account.js';
import type { Delivery } from './delivery.js';
import type { SimulatorHooks } from './hooks.js';
import type { LatencyModel } from './latency.js';
import type { MediaEngine } from './media/media-engine.js';
import type { ResolvedOptions } from './options.js';
import type { SessionRegistry } from './session.js';
import type { StatsRecorder } from './stats.js';
import type { TaskStore } from './task-store.js';
import type { Timers } from './timers.js';
import type { UploadSender } from './upload-sender.js';
import type { WebhookSender } from './webhooks.js';

/**
 * Everything a connection or task handler needs, built once per simulator by `startSimulator`
 * and passed explicitly (no module state, so several simulators can run in one process).
 */
export interface SimulatorEnv {
  readonly options: ResolvedOptions;
  readonly now: () => number;
  readonly isClosed: () => boolean;
  readonly stats: StatsRecorder;
  readonly sessions: SessionRegistry;
  readonly delivery: Delivery;
  readonly tasks: TaskStore;
  readonly media: MediaEngine;
  /** When each generation of a new task is ready. */
  readonly latency: LatencyModel;
  readonly timers: Timers;
  readonly hooks: SimulatorHooks;
  /** The account's own models and identity (modelSearch, modelUpload, training, accountManagement). */
  readonly account: Account;
  /** Posts the results of tasks sent with `webhookURL`. */
  readonly webhooks: WebhookSender;
  /** PUTs the output files of tasks sent with `uploadEndpoint`. */
  readonly uploads: UploadSender;
  /** The REST event streams under way (a fault cuts them). */
  readonly streams: OpenStreams;
}
