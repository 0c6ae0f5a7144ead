const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * Creates the UUID v4 that identifies a task on the wire.
 *
 * `crypto.randomUUID()` exists only in secure contexts (https, localhost); a page served over
 * plain http on a LAN address still has `getRandomValues`, so the UUID is assembled from it there.
 *
 * @returns A lower-case UUID v4 string.
 */
export function newTaskUUID(): string {
  const { crypto } = globalThis;
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * What is wrong with a taskUUID a caller chose, in words, if anything. Answers are routed by a
 * taskUUID's exact text (here and at a relay, which refuses other spellings), and the server may
 * answer under its own spelling, so one in capitals is refused rather than sent.
 *
 * @param value The caller's value.
 * @returns The problem, or `undefined` for a lower-case UUID v4.
 */
export function taskUUIDProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !UUID_V4.test(value)) return 'taskUUID must be a UUID v4';
  if (value !== value.toLowerCase()) return 'taskUUID must be in lower case, as runware-rx makes them: answers are routed by its exact text';
  return undefined;
}

/**
 * Tells whether a string is a UUID v4, the only form the API accepts for `taskUUID`.
 *
 * @param value The string to check.
 * @returns `true` for a UUID v4.
 */
export function isUUIDv4(value: string): boolean {
  return UUID_V4.test(value);
}
