import { createHttpSender, type DeliveryRecord } from './http-sender.js';
import type { StoredFile } from './media/media-store.js';
import type { WebhookSenderOptions } from './webhooks.js';

/**
 * uploadEndpoint (protocol §4.1, §5.8): each output file of a task sent with `uploadEndpoint` is
 * PUT there, the body the file's bytes, the Content-Type its format's. How the API handles a
 * failed PUT is unconfirmed; the simulator retries it as it retries webhooks (http-sender.ts:
 * non-2xx, a timeout or a network error is tried again, within the same bound), because a
 * presigned URL that answered 5xx once usually takes the same bytes later, and a bounded retry
 * can neither hang a test nor PUT twice what was taken once.
 */

/** One output file the simulator PUTs (or put) to a task's `uploadEndpoint`. */
export interface UploadDelivery extends DeliveryRecord {
  /** The output's UUID, as its result names it (`imageUUID`, `videoUUID`, `audioUUID`, …). */
  readonly outputUUID: string;
  /** The Content-Type the file was PUT with. */
  readonly contentType: string;
  /** The body's length in bytes; the bytes are dropped once the delivery settles (the result's URL serves them). */
  readonly size: number;
}

/** The upload side of a running simulator, for tests' assertions. */
export interface SimulatorUploads {
  /** The most recent uploads (at most 1000), in the order their first attempt was made. */
  deliveries(): UploadDelivery[];
  /** Resolves once no upload is pending (at once when none is): each was delivered, given up or cancelled. */
  idle(): Promise<void>;
}

/** One output file of one result. */
export interface UploadedOutput {
  readonly taskType: string;
  readonly taskUUID: string;
  readonly outputUUID: string;
  readonly file: StoredFile;
}

/** The sender a simulator owns. */
export interface UploadSender extends SimulatorUploads {
  /** PUTs one output file to `url`, retrying as configured. */
  send(url: string, output: UploadedOutput): void;
  /** Cancels every pending upload: in-flight requests are aborted, retry timers cleared, sockets closed. */
  close(): void;
}

/** Creates the sender; one per simulator, on the webhooks' options (one retry rule for both). */
export const createUploadSender = (options: WebhookSenderOptions): UploadSender => {
  const sender = createHttpSender<Pick<UploadDelivery, 'outputUUID' | 'contentType' | 'size'>>({ ...options, kind: 'upload' });
  return {
    send(url, { taskType, taskUUID, outputUUID, file: { bytes, mime } }) {
      sender.send(url, { method: 'PUT', contentType: mime, body: bytes }, { taskType, taskUUID }, { outputUUID, contentType: mime, size: bytes.byteLength });
    },
    deliveries: sender.deliveries,
    idle: sender.idle,
    close: sender.close,
  };
};
