import type { MediaStore, StoredFile } from './media-store.js';
import { createPlaceholderIds } from './placeholder-ids.js';

/**
 * Media by UUID: what the simulator generated (`imageUUID`, `videoUUID`), what was uploaded
 * (`imageUpload`, `mediaStorage`) and the inputs it stored (`inputImageUUID`), so that any of them
 * can be an input of a later task. Files live in the media store (served by URL, bounded by bytes);
 * the library maps each UUID to its file's name there.
 */
export interface MediaLibrary {
  /** `http://host:port`, the origin of every media URL. */
  readonly baseUrl: string;
  /** The URL a stored file is served at. */
  urlOf(name: string): string;
  /** Stores a file as `<uuid>.<extension>`, registers the UUID and returns the file's URL. */
  keep(uuid: string, file: StoredFile, extension: string): string;
  /** Registers a UUID for a file already stored under `name` (a shared placeholder). */
  alias(uuid: string, name: string): void;
  /**
   * A fresh UUID naming one of the placeholders given at creation, recognised later without being
   * stored (see placeholder-ids.ts): the fast mode's hot path registers nothing.
   */
  placeholderUUID(name: string): string;
  /** The file of a UUID, if it is known and still held (any case). */
  find(uuid: string): StoredFile | undefined;
  /** Forgets a UUID (and its file, unless shared); false when it was not known. */
  forget(uuid: string): boolean;
  /**
   * What an `http(s)` URL names when it points at this simulator's `/media/`: the file (and the
   * UUID it was kept under, if any), `'missing'` when the file is gone, `undefined` when the URL
   * is not this simulator's.
   */
  ownFile(url: URL): { readonly file: StoredFile; readonly uuid: string | undefined } | 'missing' | undefined;
}

/** Options of {@link createMediaLibrary}. */
export interface MediaLibraryOptions {
  readonly baseUrl: string;
  readonly store: MediaStore;
  /** At most this many UUIDs are remembered; the oldest are forgotten first. */
  readonly maxEntries: number;
  /** Names of the (pinned) placeholder files whose UUIDs are minted rather than stored; at most 8. */
  readonly placeholders?: readonly string[];
}

const MEDIA_PATH = '/media/';
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Creates the library. UUIDs are kept in two generations of `Map`s: new ones go into the young
 * map, and when it holds half the bound it becomes the old one (the previous old map is dropped
 * whole). So at most `maxEntries` are remembered, the oldest forgotten first, and registering
 * costs one `Map.set`: evicting entries one by one from the front of a Map makes V8 skip its
 * deleted slots on every eviction, which is what made a FIFO slow on the hot path.
 */
export const createMediaLibrary = ({ baseUrl, store, maxEntries, placeholders = [] }: MediaLibraryOptions): MediaLibrary => {
  let young = new Map<string, string>();
  let old = new Map<string, string>();
  const minted = createPlaceholderIds(placeholders.length);
  /** Minted UUIDs deleted with mediaStorage (rare): they must stop resolving. */
  const revoked = new Set<string>();
  const own = new URL(baseUrl);
  const generation = Math.max(1, Math.floor(maxEntries / 2));

  // The simulator's own UUIDs (randomUUID) are lower case already; lookups fold what clients send.
  const register = (uuid: string, name: string) => {
    if (young.size >= generation) {
      old = young;
      young = new Map();
    }
    young.set(uuid, name);
  };
  const nameOf = (uuid: string) => {
    const key = uuid.toLowerCase();
    const name = young.get(key) ?? old.get(key);
    if (name !== undefined || revoked.has(key)) return name;
    const index = minted.recognise(key);
    return index === undefined ? undefined : placeholders[index];
  };
  const find = (uuid: string) => {
    const name = nameOf(uuid);
    return name === undefined ? undefined : store.get(name);
  };
  const urlOf = (name: string) => `${baseUrl}${MEDIA_PATH}${encodeURIComponent(name)}`;

  return {
    baseUrl,
    urlOf,
    keep(uuid, file, extension) {
      const name = `${uuid}.${extension}`;
      store.put(name, file);
      register(uuid, name);
      return urlOf(name);
    },
    alias: register,
    placeholderUUID(name) {
      const index = placeholders.indexOf(name);
      if (index < 0) throw new RangeError(`${name} is not a placeholder of this library`);
      return minted.mint(index);
    },
    find,
    forget(uuid) {
      const key = uuid.toLowerCase();
      const name = nameOf(key);
      if (name === undefined || store.get(name) === undefined) return false;
      young.delete(key);
      old.delete(key);
      if (minted.recognise(key) !== undefined && revoked.size < maxEntries) revoked.add(key);
      if (name.startsWith(key)) store.delete(name);
      return true;
    },
    ownFile(url) {
      const ours = url.port === own.port && (url.hostname === own.hostname || LOOPBACK_HOSTS.has(url.hostname));
      if (!ours || !url.pathname.startsWith(MEDIA_PATH)) return undefined;
      let name: string;
      try {
        name = decodeURIComponent(url.pathname.slice(MEDIA_PATH.length));
      } catch {
        return 'missing';
      }
      const file = store.get(name);
      if (file === undefined) return 'missing';
      const uuid = name.slice(0, name.lastIndexOf('.'));
      return { file, uuid: nameOf(uuid) === name ? uuid : undefined };
    },
  };
};
