import { createLru } from './lru.js';

/** One served file. */
export interface StoredFile {
  readonly bytes: Uint8Array;
  readonly mime: string;
}

/** In-memory files served under `/media/<name>`. */
export interface MediaStore {
  put(name: string, file: StoredFile): void;
  get(name: string): StoredFile | undefined;
  clear(): void;
}

/**
 * Keeps generated media in memory, least recently used first out once `maxBytes` is exceeded:
 * no temp files to clean, and a long benchmark cannot exhaust memory.
 */
export const createMediaStore = (maxBytes: number): MediaStore => {
  const files = createLru<string, StoredFile>({ maxCost: maxBytes, costOf: (file) => file.bytes.byteLength });
  return {
    put: (name, file) => files.set(name, file),
    get: (name) => files.get(name),
    clear: () => files.clear(),
  };
};
