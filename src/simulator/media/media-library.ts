import type { MediaStore, StoredFile } from './media-store.js';

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
}

const MEDIA_PATH = '/media/';
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Creates the library. UUIDs are kept in a `Map` in insertion order, bounded by count (each entry
 * is a few dozen bytes; the files themselves are bounded by the store's byte budget).
 */
export const createMediaLibrary = ({ baseUrl, store, maxEntries }: MediaLibraryOptions): MediaLibrary => {
  const names = new Map<string, string>();
  const own = new URL(baseUrl);

  const register = (uuid: string, name: string) => {
    names.set(uuid.toLowerCase(), name);
    if (names.size > maxEntries) names.delete(names.keys().next().value!);
  };
  const find = (uuid: string) => {
    const name = names.get(uuid.toLowerCase());
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
    find,
    forget(uuid) {
      const key = uuid.toLowerCase();
      const name = names.get(key);
      if (name === undefined || store.get(name) === undefined) return false;
      names.delete(key);
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
      return { file, uuid: names.get(uuid.toLowerCase()) === name ? uuid : undefined };
    },
  };
};
