/** Whether a value parsed from JSON (or given by a caller) is an object with fields: not null, not an array. */
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
