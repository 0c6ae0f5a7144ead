/**
 * The one shape every benchmarked client is driven through, so scenarios are written once. Each
 * method does what a user of that client would write; nothing here batches or caches on its behalf.
 */
export type ClientName = 'raw' | 'rx-promise' | 'rx-observable' | 'official';

export const CLIENT_NAMES: readonly ClientName[] = ['raw', 'rx-promise', 'rx-observable', 'official'];

export const CLIENT_LABELS: Record<ClientName, string> = {
  raw: 'raw ws',
  'rx-promise': 'runware-rx (Promise)',
  'rx-observable': 'runware-rx (Observable)',
  official: '@runware/sdk-js 1.3.2',
};

export interface ClientOptions {
  readonly url: string;
  readonly apiKey: string;
  /**
   * The raw client only: poll videos on a fixed grid, every this many ms after the
   * acknowledgement (the reference poller of the drawn-readiness scenario), instead of
   * RAW_POLL_INTERVAL_MS after each answer.
   */
  readonly pollEveryMs?: number;
}

/** Which video to make, and under which taskUUID (so the bench can tell when the simulator made it ready). */
export interface VideoRequest {
  readonly model: string;
  readonly duration: number;
  readonly taskUUID: string;
}

export interface BenchClient {
  /** Opens the socket and authenticates; resolves once the server accepted the key. */
  connect(): Promise<void>;
  /** One `imageInference` (numberResults 1): resolves with its result items. */
  image(): Promise<readonly unknown[]>;
  /** One `videoInference` (VIDEO_PARAMS, or the given model, duration and taskUUID): resolves with its result items once ready (polling `getResponse`). */
  video(request?: VideoRequest): Promise<readonly unknown[]>;
  /**
   * One streamed `textInference` (TEXT_PARAMS, `deliveryMethod: "stream"`, over HTTP): calls
   * `onPiece` as each piece arrives, where the client reports pieces, and resolves with the whole
   * text. Absent for a client that cannot stream.
   */
  text?(onPiece: () => void): Promise<string>;
  /** Closes the socket; safe to call twice and after a failed connect. */
  close(): Promise<void>;
}

export type ClientFactory = (options: ClientOptions) => BenchClient;

/** The parameters every client sends: the smallest valid request, identical across clients. */
export const IMAGE_PARAMS = {
  positivePrompt: 'a lighthouse at dusk',
  model: 'runware:101@1',
  width: 512,
  height: 512,
} as const;

export const VIDEO_PARAMS = {
  positivePrompt: 'waves at dusk',
  model: 'klingai:5@3',
  duration: 5,
} as const;

export const TEXT_PARAMS = {
  model: 'google:gemma@4-31b',
  messages: [{ role: 'user', content: 'What is a lighthouse for?' }],
  seed: 7,
} as const;
