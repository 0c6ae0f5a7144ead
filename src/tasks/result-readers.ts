import type { DataItem } from '../protocol/frames.js';
import type { ResultReader } from './define-task.js';

/**
 * Results identified by an output UUID (`imageUUID`, `videoUUID`, ...): an item carrying one of
 * the fields is a result, and that UUID is its identity.
 *
 * @typeParam TResult The result item.
 * @param names The UUID fields, in order of preference.
 * @returns The reader.
 */
// @__NO_SIDE_EFFECTS__
export function outputUUID<TResult>(...names: readonly string[]): ResultReader<TResult> {
  const key = (item: DataItem): string | undefined => {
    for (const name of names) {
      const value = item[name];
      if (typeof value === 'string') return value;
    }
    return undefined;
  };
  return { key, isResult: (item) => key(item) !== undefined };
}

/**
 * Results without an identity of their own (a caption's `text`, a search's `results`): an item
 * carrying one of the fields is a result. They are recognised by what they say, and identical
 * ones by how many of them came before (see `collectResults`).
 *
 * @typeParam TResult The result item.
 * @param names The fields a result carries (any one of them).
 * @returns The reader.
 */
// @__NO_SIDE_EFFECTS__
export function fieldResult<TResult>(...names: readonly string[]): ResultReader<TResult> {
  return { isResult: (item) => names.some((name) => item[name] !== undefined && item[name] !== null) };
}

/**
 * A reader written out, typed with the items it recognises (for streamed tasks and other shapes).
 *
 * @typeParam TResult The result item.
 * @typeParam TPartial The intermediate item.
 * @param reader How results (and intermediate items) are recognised.
 * @returns The same reader.
 */
// @__NO_SIDE_EFFECTS__
export function readResults<TResult, TPartial = never>(reader: Omit<ResultReader<TResult, TPartial>, 'types'>): ResultReader<TResult, TPartial> {
  return reader;
}
