/**
 * Every field of a result item, known to its type or not: the typed way to reach a field the
 * server sends that this version of runware-rx does not describe yet. Result types have no index
 * signature, so that a misspelt field (`image.imageUrl`) is a compile error; this is the escape.
 *
 * @param item A result item.
 * @returns The same object, typed as a record.
 *
 * @example
 * ```ts
 * const [image] = await runware.imageInference(params);
 * const extra = raw(image)['inputImageUUID'];
 * ```
 */
export function raw(item: object): Readonly<Record<string, unknown>> {
  return item as Readonly<Record<string, unknown>>;
}
