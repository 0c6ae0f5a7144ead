/**
 * What a result without an identity of its own says, as text: the item without the fields that
 * change from one answer to the next (`status`, `progress`) or may come once only (`cost`). A
 * cumulative poll answer repeats a finished result word for word, but not at the same place:
 * generations finish in any order, and a failed one leaves the list for `errors`. So a result is
 * recognised by what it says, and results that say the same are told apart by how many of them
 * come before it (see {@link countOccurrence}). Keys are taken in sorted order, at every depth:
 * a server may list a repeated item's fields in another order.
 *
 * @param item A result item.
 * @returns Its words.
 */
export function resultContent(item: Readonly<Record<string, unknown>>): string {
  const { status: _status, progress: _progress, cost: _cost, ...rest } = item;
  return canonicalJSON(rest);
}

/**
 * A value as JSON with the keys of every object in sorted order: equal for two values that say
 * the same, whatever order their fields came in.
 *
 * @param value A JSON value.
 * @returns Its canonical text.
 */
export function canonicalJSON(value: unknown): string {
  return JSON.stringify(value, sortedKeys);
}

function sortedKeys(_key: string, value: unknown): unknown {
  // An integer past 2^53 − 1 (a seed) is read as a BigInt, which JSON.stringify refuses: it is
  // written as its digits under a key of its own, which only the same integer writes in practice.
  if (typeof value === 'bigint') return { '\u0000bigint': value.toString() };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  // No prototype: a `__proto__` field is kept as a field.
  const sorted = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value).sort()) sorted[key] = (value as Record<string, unknown>)[key];
  return sorted;
}

/**
 * How many items with these words were counted before, counting this one.
 *
 * @param counts The counts so far (of one answer, or of everything pushed).
 * @param words What the item says.
 * @returns 0 for the first item with these words, 1 for the second, and so on.
 */
export function countOccurrence(counts: Map<string, number>, words: string): number {
  const before = counts.get(words) ?? 0;
  counts.set(words, before + 1);
  return before;
}
