import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SavedFile } from './board.js';
import { describeMedia } from './describe-media.js';

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
};

/** Where a result's bytes are: a URL to download, or base64 already in hand. */
export type MediaSource = { readonly url: string } | { readonly base64: string; readonly mime: string };

/**
 * Writes one generated file to `dir`, named after the job and the item's index, with the
 * extension its media type calls for.
 *
 * @param dir The output folder (created if missing).
 * @param stem The file name without extension.
 * @param source The bytes' source.
 * @returns The path written, and what the file contains.
 */
export async function saveMedia(dir: string, stem: string, source: MediaSource): Promise<SavedFile> {
  await mkdir(dir, { recursive: true });
  const { bytes, mime } = await load(source);
  const extension = EXTENSIONS[mime] ?? 'bin';
  const path = join(dir, `${stem}.${extension}`);
  await writeFile(path, bytes);
  return { path, ...describeMedia(bytes, extension) };
}

async function load(source: MediaSource): Promise<{ bytes: Buffer; mime: string }> {
  if ('base64' in source) return { bytes: Buffer.from(source.base64, 'base64'), mime: source.mime };
  const response = await fetch(source.url);
  if (!response.ok) throw new Error(`download of ${source.url} failed: HTTP ${response.status}`);
  const mime = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  return { bytes: Buffer.from(await response.arrayBuffer()), mime };
}
