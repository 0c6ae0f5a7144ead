/** A UUID (any version) with hyphens, inside a longer string too: a media URL carries its media's UUID. */
const HYPHENATED = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** The same 128 bits without hyphens: a run of exactly 32 hex digits. */
const BARE = /(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])/gi;
/** A percent-escape, as a URL may spell any character of a UUID. */
const PERCENT = /%([0-9a-f]{2})/gi;
/** Dashes of other scripts and widths, which a lenient reader might take for a hyphen. */
const DASHES = /[\p{Pd}\u2212\uff0d]/gu;
const NOT_ASCII = /[^\u0000-\u007f]/;
/** A data URI whose payload is base64: bytes, not references, and often megabytes. */
const BASE64_DATA_URI = /^data:[^,]{0,256};base64,/i;

const hyphenate = (hex: string): string => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/** The spellings of a text a server might read a UUID out of: as it is, percent-decoded, and with Unicode folded. */
function readingsOf(text: string): string[] {
  const readings = [text];
  let decoded = text;
  // Twice at most: a double-encoded escape (%2536) is as far as a server's own decoding goes.
  for (let round = 0; round < 2 && decoded.includes('%'); round += 1) {
    const next = decoded.replace(PERCENT, (_escape, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    if (next === decoded) break;
    decoded = next;
    readings.push(decoded);
  }
  for (const reading of [...readings]) {
    if (NOT_ASCII.test(reading)) readings.push(reading.normalize('NFKC').replace(DASHES, '-'));
  }
  return readings;
}

/**
 * Every UUID a string may refer to, lower-cased with hyphens: hyphenated or as 32 hex digits,
 * percent-encoded in a URL, or in full-width digits and Unicode dashes. A base64 data URI is
 * read up to its comma only: its payload is media bytes. Stops once `limit` distinct UUIDs are
 * collected in `into`.
 *
 * @param text The string (a value or a key of a task).
 * @param into The UUIDs found so far, with where; new ones are added with `path`.
 * @param path Where the string is, for the refusal.
 * @param limit How many distinct UUIDs may be collected.
 * @returns `false` once `into` holds more than `limit`.
 */
export function collectUUIDs(text: string, into: Map<string, string>, path: string, limit: number): boolean {
  const header = BASE64_DATA_URI.exec(text);
  const scanned = header === null ? text : header[0];
  for (const reading of readingsOf(scanned)) {
    for (const match of reading.matchAll(HYPHENATED)) {
      const uuid = match[0].toLowerCase();
      if (!into.has(uuid)) into.set(uuid, path);
      if (into.size > limit) return false;
    }
    for (const match of reading.matchAll(BARE)) {
      const uuid = hyphenate(match[0].toLowerCase());
      if (!into.has(uuid)) into.set(uuid, path);
      if (into.size > limit) return false;
    }
  }
  return true;
}

/**
 * The fields of a result item that name media the task produced, at the item's top level. Inputs
 * a server echoes (`inputImageUUID`, `inputImagesUUID`) and account fields (`organizationUUID`)
 * are not outputs: claiming them would hand another user's (or the app's shared) media to the
 * user whose result echoed it.
 */
const OUTPUT_FIELDS: ReadonlySet<string> = new Set(['imageUUID', 'videoUUID', 'audioUUID', 'mediaUUID', 'maskImageUUID', 'guideImageUUID']);
const UUID_EXACT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The UUIDs of the media a result item produced: its output fields (`imageUUID`, `videoUUID`,
 * `audioUUID`, `mediaUUID`, `maskImageUUID`, `guideImageUUID`) and the files of `outputs.files[]`
 * (3D), so that they can be claimed for the user it is for.
 *
 * @param item A result item.
 * @returns Its output UUIDs, lower-cased.
 */
export function outputUUIDsOf(item: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const field of OUTPUT_FIELDS) {
    const value = item[field];
    if (typeof value === 'string' && UUID_EXACT.test(value)) out.push(value.toLowerCase());
  }
  const outputs = item['outputs'];
  const files = typeof outputs === 'object' && outputs !== null ? (outputs as Record<string, unknown>)['files'] : undefined;
  if (Array.isArray(files)) {
    for (const file of files as unknown[]) {
      const uuid = typeof file === 'object' && file !== null ? (file as Record<string, unknown>)['uuid'] : undefined;
      if (typeof uuid === 'string' && UUID_EXACT.test(uuid)) out.push(uuid.toLowerCase());
    }
  }
  return out;
}
