/**
 * Summarises a V8 `.cpuprofile`: self time by function and by package, and inclusive time of
 * runware-rx's own functions, so a profile can be read in a terminal or pasted into a report.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileSummary {
  /** Sampled time in ms, idle excluded. */
  readonly busyMs: number;
  readonly idleMs: number;
  readonly byPackage: readonly [string, number][];
  readonly selfByFunction: readonly [string, number][];
  /** Inclusive time of functions in runware-rx's src/ (each counted once per sample). */
  readonly inclusiveOwn: readonly [string, number][];
}

/** Where a frame's code lives: runware-rx (src/ or dist/), a package, node internals, or V8 itself. */
export function packageOfUrl(url: string): string {
  if (url === '') return '(V8/native)';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules !== null) return inModules[1]!;
  if (url.includes('/src/') || url.includes('/dist/')) return 'runware-rx';
  if (url.includes('/bench/')) return 'bench harness';
  if (url.startsWith('node:')) return 'node internals';
  return url;
}

/** A frame as `name file:line`, the path from src/, dist/, bench/ or node_modules/ on. */
export function label(frame: CallFrame): string {
  const file = frame.url.replace(/^file:\/\/.*?\/(src|dist|bench|node_modules)\//, '$1/');
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  return frame.url === '' ? name : `${name} ${file}:${frame.lineNumber + 1}`;
}

/** The `count` largest entries of a tally, largest first. */
export const top = (map: Map<string, number>, count: number): [string, number][] =>
  [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);

export function summariseCpuProfile(path: string, count = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const selfByFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const inclusiveOwn = new Map<string, number>();
  let idleUs = 0;
  let busyUs = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const node = byId.get(id);
    if (node === undefined) return;
    const { callFrame } = node;
    if (callFrame.functionName === '(idle)') {
      idleUs += delta;
      return;
    }
    busyUs += delta;
    const key = label(callFrame);
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + delta);
    const pkg = callFrame.functionName === '(garbage collector)' ? '(garbage collector)' : packageOfUrl(callFrame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + delta);
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current)!.callFrame;
      if (packageOfUrl(frame.url) !== 'runware-rx') continue;
      const own = label(frame);
      if (seen.has(own)) continue;
      seen.add(own);
      inclusiveOwn.set(own, (inclusiveOwn.get(own) ?? 0) + delta);
    }
  });
  const ms = (entries: [string, number][]): [string, number][] => entries.map(([key, us]) => [key, us / 1000]);
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    byPackage: ms(top(byPackage, count)),
    selfByFunction: ms(top(selfByFunction, count)),
    inclusiveOwn: ms(top(inclusiveOwn, count)),
  };
}

export function renderCpuSummary(summary: ProfileSummary): string {
  const pct = (ms: number): string => `${((ms / summary.busyMs) * 100).toFixed(1).padStart(5)}%`;
  const list = (entries: readonly [string, number][]): string[] =>
    entries.map(([key, ms]) => `  ${ms.toFixed(1).padStart(8)} ms ${pct(ms)}  ${key}`);
  return [
    `busy ${summary.busyMs.toFixed(1)} ms, idle ${summary.idleMs.toFixed(1)} ms`,
    'self time by package:',
    ...list(summary.byPackage),
    'self time by function:',
    ...list(summary.selfByFunction),
    'inclusive time of runware-rx functions:',
    ...list(summary.inclusiveOwn),
  ].join('\n');
}
