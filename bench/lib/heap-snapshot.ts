/**
 * Diffs two V8 heap snapshots: objects grouped by kind and constructor (closures by function
 * name, strings together), so "what does one task in flight keep alive" can be read as
 * counts and bytes per task.
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  readonly snapshot: { readonly meta: { readonly node_fields: readonly string[]; readonly node_types: readonly [readonly string[], ...unknown[]] } };
  readonly nodes: readonly number[];
  readonly strings: readonly string[];
}

export interface HeapGroup {
  readonly key: string;
  readonly count: number;
  readonly bytes: number;
}

const STRING_TYPES = new Set(['string', 'concatenated string', 'sliced string']);

export function groupHeap(path: string): Map<string, { count: number; bytes: number }> {
  const data = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const fields = data.snapshot.meta.node_fields;
  const types = data.snapshot.meta.node_types[0];
  const stride = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const groups = new Map<string, { count: number; bytes: number }>();
  for (let index = 0; index < data.nodes.length; index += stride) {
    const type = types[data.nodes[index + typeAt]!]!;
    const name = data.strings[data.nodes[index + nameAt]!] ?? '';
    let key: string;
    if (STRING_TYPES.has(type)) key = '(strings)';
    else if (type === 'closure') key = `closure ${name || '(anonymous)'}`;
    else if (type === 'object' || type === 'native') key = name;
    else if (type === 'code' || type === 'number') key = `(${type})`;
    else key = `(${type}) ${name}`.slice(0, 80);
    const group = groups.get(key) ?? { count: 0, bytes: 0 };
    group.count += 1;
    group.bytes += data.nodes[index + sizeAt]!;
    groups.set(key, group);
  }
  return groups;
}

/** What grew from `before` to `after`, largest first. */
export function diffHeap(before: string, after: string): HeapGroup[] {
  const base = groupHeap(before);
  const grown = groupHeap(after);
  const out: HeapGroup[] = [];
  for (const [key, group] of grown) {
    const previous = base.get(key) ?? { count: 0, bytes: 0 };
    const bytes = group.bytes - previous.bytes;
    const count = group.count - previous.count;
    if (bytes > 0 || count > 0) out.push({ key, count, bytes });
  }
  return out.sort((a, b) => b.bytes - a.bytes);
}

export function renderHeapDiff(groups: readonly HeapGroup[], perTask: number, count = 30): string {
  const total = groups.reduce((sum, group) => sum + group.bytes, 0);
  return [
    `grown: ${(total / 1024 / 1024).toFixed(1)} MB, ${(total / perTask).toFixed(0)} B per task (self sizes; positive groups only)`,
    '     B/task  objects/task  kind',
    ...groups
      .slice(0, count)
      .map((group) => `  ${(group.bytes / perTask).toFixed(0).padStart(9)}  ${(group.count / perTask).toFixed(2).padStart(12)}  ${group.key}`),
  ].join('\n');
}
