import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { allTasks } from 'runware-rx/tasks';

/* The README's table of task types is the registry's, row for row: docs that match the code. */

const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Task types'), readme.indexOf('## Checked requests'));
const rows = [...section.matchAll(/^\| `(\w+)` \| ([^|]+) \| `([\w]+)` \| ([^|]+) \|$/gm)].map(([, name, aliases, taskType, delivery]) => ({
  name,
  aliases: aliases === undefined || aliases.trim() === '–' ? [] : [...aliases.matchAll(/`(\w+)`/g)].map((match) => match[1]),
  taskType,
  delivery: delivery?.trim(),
}));

const deliveryOf = (task: (typeof allTasks)[number]): string => {
  if (task.delivery === 'stream') return 'streamed';
  if (task.delivery === 'poll') return 'polled';
  return task.defaults?.['deliveryMethod'] === 'async' ? 'polled (pushed when sent sync)' : 'pushed (polled when sent async)';
};

describe('the README’s task table', () => {
  it('lists every task type of the registry, with its names, wire taskType and delivery, and nothing else', () => {
    const expected = allTasks.map((task) => ({ name: task.name, aliases: [...task.aliases], taskType: task.taskType, delivery: deliveryOf(task) }));
    expect(rows.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''))).toEqual(expected.sort((a, b) => a.name.localeCompare(b.name)));
  });
});
