/**
 * Whether a value from a frame is an object with fields: not null, not an array. The simulator's
 * own copy of the client's `util/is-record.ts`: it reads the protocol independently and imports
 * nothing of the client.
 */
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
