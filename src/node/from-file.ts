import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { MediaBytes, MediaSource } from '../tasks/media-value.js';
import { MEDIA_SOURCE } from '../tasks/media-value.js';
import { MAX_MEDIA_BYTES } from '../util/media-encoding.js';

const TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.bmp': 'image/bmp',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.flac': 'audio/flac',
  '.ogg': 'audio/ogg',
  '.glb': 'model/gltf-binary',
};

/**
 * A local file as a media input, read when the request is sent (Node only). This is the one way
 * a path becomes a file: runware-rx never reads a string given as an input as a path, so a
 * prompt or a URL can never leak a local file. A path that is not a regular file (a directory,
 * a device) or a file of more than 400 MB fails the request as an input that cannot be read
 * (`validation`), before the file is read.
 *
 * @param path The file's path.
 * @param type Its MIME type; by default from its extension, else sniffed from its bytes.
 * @returns A media input for any image, video or audio field.
 *
 * @example
 * ```ts
 * import { fromFile } from 'runware-rx/node';
 * const [cutOut] = await runware.removeBackground({ inputImage: fromFile('./photo.jpg') });
 * ```
 */
export function fromFile(path: string, type?: string): MediaSource {
  return {
    [MEDIA_SOURCE]: async (): Promise<MediaBytes> => {
      // Looked at first, so that a file too large to send is not read into memory to be refused,
      // and a device or a pipe is not read without end.
      const file = await stat(path);
      if (!file.isFile()) throw new Error(`${path} is ${file.isDirectory() ? 'a directory' : 'not a regular file'}`);
      if (file.size > MAX_MEDIA_BYTES) throw new Error(`${path} is too large to send: ${file.size} bytes, at most ${MAX_MEDIA_BYTES}`);
      const bytes = await readFile(path);
      return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), type: type ?? TYPES[extname(path).toLowerCase()] };
    },
  };
}
