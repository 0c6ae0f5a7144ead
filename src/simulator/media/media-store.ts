import { createLru } from './lru.js';

/** One served file. */
export interface StoredFile {
  readonly bytes: Uint8Array;
  readonly mime: string;
}

/** In-memory files served under `/media/<name>`. */
export interface MediaStore {
  put(name: string, file: StoredFile): void;
  /** Keeps a file outside the LRU, never evicted (the fast mode's few placeholders). */
  pin(name: string, file: StoredFile): void;
  get(name: string): StoredFile | undefined;
  delete(name: string): void;
  clear(): void;
}

/**
 * Keeps generated and uploaded media in memory, least recently used first out once `maxBytes` is
 * exceeded: no temp files to clean, and a long benchmark cannot exhaust memory. Pinned files (a
 * handful of placeholders shared by every fast-mode result) are kept apart so that nothing evicts them.
 */
export const createMediaStore = (maxBytes: number): MediaStore => {
  const files = createLru<string, StoredFile>({ maxCost: maxBytes, costOf: (file) => file.bytes.byteLength });
  const pinned = new Map<string, StoredFile>();
  return {
    put: (name, file) => files.set(name, file),
    pin: (name, file) => void pinned.set(name, file),
    get: (name) => pinned.get(name) ?? files.get(name),
    delete: (name) => files.delete(name),
    clear: () => {
      files.clear();
      pinned.clear();
    },
  };
};
