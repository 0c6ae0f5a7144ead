/** Any UUID (any version), inside a longer string too: a media URL carries its media's UUID. */
const UUID_IN_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** A UUID found in a task, with the dotted path of the field that carries it. */
export interface FoundUUID {
  readonly uuid: string;
  readonly path: string;
}

/**
 * Every UUID in a task's string values, at any depth, but its own `taskUUID`: these are the
 * inputs it refers to (`seedImage`, `inputs.referenceImages.0`, a media URL, a mask). Data URIs
 * are skipped, since base64 has no hyphens and they can be megabytes long. Walks with a stack of
 * its own, so a deeply nested task cannot overflow the call stack.
 *
 * @param task The task object as the browser sent it.
 * @returns The UUIDs found, lower-cased, each once, with the first path it was found at.
 */
export function uuidsIn(task: Readonly<Record<string, unknown>>): FoundUUID[] {
  const found = new Map<string, string>();
  const stack: [unknown, string][] = [];
  for (const key of Object.keys(task)) if (key !== 'taskUUID') stack.push([task[key], key]);
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [value, path] = next;
    if (typeof value === 'string') {
      if (value.startsWith('data:')) continue;
      for (const match of value.matchAll(UUID_IN_TEXT)) {
        const uuid = match[0].toLowerCase();
        if (!found.has(uuid)) found.set(uuid, path);
      }
    } else if (typeof value === 'object' && value !== null) {
      for (const key of Object.keys(value)) stack.push([(value as Record<string, unknown>)[key], `${path}.${key}`]);
    }
  }
  return [...found].map(([uuid, path]) => ({ uuid, path }));
}

/** Field names of a result item that name the media it produced (`imageUUID`, `videoUUID`, `mediaUUID`, ...). */
const OUTPUT_FIELD = /UUID$/;
const UUID_EXACT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The UUIDs of the media a result item produced: every `...UUID` field but `taskUUID`, at any
 * depth (`outputs.files[].uuid` included), so that they can be claimed for the user it is for.
 *
 * @param item A result item.
 * @returns Its output UUIDs, lower-cased.
 */
export function outputUUIDsOf(item: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  const stack: [unknown, string][] = Object.keys(item).map((key) => [item[key], key]);
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [value, key] = next;
    if (typeof value === 'string') {
      if (key !== 'taskUUID' && (OUTPUT_FIELD.test(key) || key === 'uuid') && UUID_EXACT.test(value)) out.push(value.toLowerCase());
    } else if (typeof value === 'object' && value !== null) {
      for (const child of Object.keys(value)) stack.push([(value as Record<string, unknown>)[child], child]);
    }
  }
  return out;
}
