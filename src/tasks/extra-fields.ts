/** Where `withExtraFields` records the fields it added, so that they are not warned about. */
export const EXTRA_FIELDS: unique symbol = Symbol.for('runware-rx.extra-fields');

/**
 * Adds fields this version of runware-rx does not know yet (the API grows faster than any SDK)
 * to a request, without a cast and without a warning: the one typed way past the parameter
 * types, which otherwise make a misspelt field a compile error. The fields are sent as they are
 * (still as JSON: a value JSON cannot carry is refused). A known field given here may hold new
 * fields of its own (`{ safety: { checkContent: true, tolerance: 0.5 } }`): they are not warned
 * about either, while the fields runware-rx knows in it are still checked.
 *
 * @param params The request, typed as the task takes it.
 * @param extra The further fields.
 * @returns The request with them, of the same type.
 *
 * @example
 * ```ts
 * await runware.imageInference(withExtraFields({ model, positivePrompt }, { brandNewOption: 3 }));
 * ```
 */
export function withExtraFields<P extends object>(params: P, extra: Readonly<Record<string, unknown>>): P {
  const combined = { ...params, ...extra } as P;
  Object.defineProperty(combined, EXTRA_FIELDS, { value: new Set(Object.keys(extra)), enumerable: false });
  return combined;
}

/**
 * The fields a request got through {@link withExtraFields}, if any.
 *
 * @param params The caller's parameters.
 * @returns Their names.
 */
export function extraFieldsOf(params: unknown): ReadonlySet<string> | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const names = (params as { [EXTRA_FIELDS]?: unknown })[EXTRA_FIELDS];
  return names instanceof Set ? (names as ReadonlySet<string>) : undefined;
}
