import type { Unsubscribable } from 'rxjs';
import { RunwareError } from '../errors/runware-error.js';
import type { MediaBytes, MediaValue } from '../tasks/media-value.js';
import { MEDIA_SOURCE, isArrayBuffer, isBlob, isMediaValue } from '../tasks/media-value.js';
import { MAX_MEDIA_BYTES, toMediaString } from '../util/media-encoding.js';

/** How bytes given as media inputs are sent. */
export interface MediaPolicy {
  /** Inputs of more bytes than this are uploaded first and sent by UUID (`Infinity`: never). */
  readonly uploadThreshold: number;
  /**
   * Stores encoded media and calls back with its UUID, or with an error; absent when the client
   * has no task that stores media. Returns the upload's teardown.
   */
  readonly upload?: ((media: string, done: (uuid: string) => void, fail: (error: unknown) => void) => Unsubscribable) | undefined;
  /** The dotted paths of inputs uploaded first whatever their size (taken by reference only). */
  readonly stored?: readonly string[] | undefined;
  /** A dry run: it stores nothing, so every input goes inline (the server only prices the request). */
  readonly dryRun?: boolean | undefined;
}

/** A place in the task that holds bytes. */
interface Slot {
  readonly holder: Record<string, unknown> | unknown[];
  readonly key: string | number;
  readonly value: MediaValue;
  readonly path: string;
}

/**
 * Turns every media input given as bytes into what the API takes: a data URI (or base64), or,
 * above the upload threshold and when the client can store media, the UUID of the media
 * uploaded first. Reads happen now (a `Blob`, a file from `fromFile`), all at once.
 *
 * @param task The checked task, with bytes where the caller gave them; it is changed in place.
 * @param policy The threshold and the uploader.
 * @param done Called with the task once every input is a string.
 * @param fail Called with a typed error if an input cannot be read or uploaded.
 * @returns A teardown that stops reads and uploads still under way.
 */
export function prepareMedia(task: Record<string, unknown>, policy: MediaPolicy, done: (task: Record<string, unknown>) => void, fail: (error: RunwareError) => void): Unsubscribable {
  const slots = findSlots(task);
  const uploads: Unsubscribable[] = [];
  let stopped = false;
  let left = slots.length;
  const settle = (slot: Slot, value: string): void => {
    if (stopped) return;
    if (Array.isArray(slot.holder)) slot.holder[slot.key as number] = value;
    else slot.holder[slot.key as string] = value;
    left -= 1;
    if (left === 0) done(task);
  };
  const refuse = (slot: Slot, why: string, cause: unknown): void => {
    if (stopped) return;
    stopped = true;
    for (const upload of uploads) upload.unsubscribe();
    fail(preparationError(slot.path, why, cause));
  };
  // Refused before anything is read when a size is known: a page would otherwise copy the whole
  // of a huge file into memory only to be told it is too large.
  const huge = slots.find((slot) => (knownSize(slot.value) ?? 0) > MAX_MEDIA_BYTES);
  if (huge !== undefined) {
    refuse(huge, 'is too large to send', tooLarge(knownSize(huge.value) ?? 0));
    return { unsubscribe: () => undefined };
  }
  for (const slot of slots) {
    readBytes(slot.value).then(
      ({ bytes, type }) => {
        if (stopped) return;
        // Whatever goes wrong here would otherwise be a rejection no one handles, and a request
        // left waiting for its deadline.
        try {
          if (!(bytes instanceof Uint8Array)) throw new TypeError('its reader gave no bytes');
          if (bytes.length > MAX_MEDIA_BYTES) {
            refuse(slot, 'is too large to send', tooLarge(bytes.length));
            return;
          }
          const encoded = toMediaString(bytes, type);
          const { upload, uploadThreshold, stored, dryRun } = policy;
          const byReference = stored?.includes(slot.path) === true;
          if (byReference && upload === undefined && dryRun !== true) {
            refuse(slot, 'cannot be sent as bytes', new Error('the API takes it only by UUID or URL, and this client has no mediaStorage task to upload it with (add mediaStorage to its tasks)'));
            return;
          }
          if (upload === undefined || (bytes.length <= uploadThreshold && !byReference)) {
            settle(slot, encoded);
            return;
          }
          const uploading = upload(
            encoded,
            (uuid) => settle(slot, uuid),
            (error) => refuse(slot, 'could not be uploaded', error),
          );
          // Starting the upload runs the caller's code (a state$ subscriber, a logger), which may
          // have ended the request: its teardown has passed this upload by, so it ends here.
          if (stopped) uploading.unsubscribe();
          else uploads.push(uploading);
        } catch (error) {
          refuse(slot, 'could not be read', error);
        }
      },
      (error: unknown) => refuse(slot, 'could not be read', error),
    );
  }
  if (slots.length === 0) done(task);
  return {
    unsubscribe: () => {
      stopped = true;
      for (const upload of uploads) upload.unsubscribe();
    },
  };
}

/**
 * Why an input could not be prepared, naming it. An upload that failed keeps the category of what
 * failed it (the client disconnected, a rate limit, a deadline): the caller's input was fine. An
 * input that cannot be read is the caller's to fix.
 */
function preparationError(path: string, why: string, cause: unknown): RunwareError {
  const message = `${path} ${why}: ${cause instanceof Error ? cause.message : String(cause)}`;
  if (!(cause instanceof RunwareError)) return new RunwareError({ code: 'validation', message, parameter: path, retryable: false, sent: false, cause });
  const { code, retryable, serverCode, details } = cause;
  return new RunwareError({ code, message, parameter: path, retryable, serverCode, details, sent: false, cause });
}

/** Every place in a task that holds bytes, with its dotted path. */
function findSlots(task: Record<string, unknown>): Slot[] {
  const slots: Slot[] = [];
  const visit = (holder: Record<string, unknown> | unknown[], path: string): void => {
    const entries: [string | number, unknown][] = Array.isArray(holder) ? holder.map((value, index) => [index, value]) : Object.entries(holder);
    for (const [key, value] of entries) {
      const at = path === '' ? String(key) : `${path}.${key}`;
      if (isMediaValue(value)) slots.push({ holder, key, value, path: at });
      else if (typeof value === 'object' && value !== null) visit(value as Record<string, unknown>, at);
    }
  };
  visit(task, '');
  return slots;
}

/** The bytes of a media value and their type when it says. */
async function readBytes(value: MediaValue): Promise<MediaBytes> {
  if (isArrayBuffer(value)) return { bytes: new Uint8Array(value) };
  if (ArrayBuffer.isView(value)) return { bytes: new Uint8Array(value.buffer, value.byteOffset, value.byteLength) };
  if (isBlob(value)) return { bytes: new Uint8Array(await value.arrayBuffer()), type: value.type };
  return (value as { [MEDIA_SOURCE]: () => Promise<MediaBytes> })[MEDIA_SOURCE]();
}

/** How many bytes a media value holds, when that is known without reading it. */
function knownSize(value: MediaValue): number | undefined {
  if (isArrayBuffer(value) || ArrayBuffer.isView(value)) return value.byteLength;
  return isBlob(value) ? value.size : undefined;
}

function tooLarge(size: number): RangeError {
  return new RangeError(`${size} bytes, at most ${MAX_MEDIA_BYTES}`);
}
