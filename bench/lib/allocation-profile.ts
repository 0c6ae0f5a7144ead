/**
 * Where a workload allocates: V8's sampling heap profiler, keeping the objects that minor and
 * major collections freed (a heap snapshot sees only what survives, and most of a request's
 * garbage dies young), summarised per request by allocating function and by package. What a
 * client allocates per request is what its collector has to sweep: with 10,000 requests in
 * flight, collection is a fifth of the client's busy time.
 */
import type { Session } from 'node:inspector/promises';
import { label, packageOfUrl, top } from './cpu-profile.js';

interface SamplingNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly selfSize: number;
  readonly children: readonly SamplingNode[];
}

export interface AllocationSummary {
  /** Bytes sampled in all, per request. */
  readonly perRequest: number;
  readonly byPackage: readonly [string, number][];
  readonly byFunction: readonly [string, number][];
}

/**
 * Samples the allocations of `run` (every `intervalBytes` on average).
 *
 * @param session A connected inspector session of this process.
 * @param run The workload.
 * @param intervalBytes The mean bytes between samples.
 * @returns The sampled tree's root.
 */
export async function sampleAllocations(session: Session, run: () => Promise<void>, intervalBytes = 256): Promise<SamplingNode> {
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: intervalBytes, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  await run();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: SamplingNode } };
  await session.post('HeapProfiler.disable');
  return profile.head;
}

/**
 * Sums a sampled tree by the function that allocated and by its package, per request.
 *
 * @param head The tree's root.
 * @param requests How many requests the workload made.
 * @param count How many entries to keep in each list.
 * @returns Bytes per request.
 */
export function summariseAllocations(head: SamplingNode, requests: number, count = 25): AllocationSummary {
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  // A built-in (push, keys, JSON.parse) is named with the function that called it.
  const stack: { node: SamplingNode; caller: string }[] = [{ node: head, caller: '' }];
  while (stack.length > 0) {
    const { node, caller } = stack.pop()!;
    const own = label(node.callFrame);
    const key = node.callFrame.url === '' && caller !== '' ? `${own} ← ${caller}` : own;
    for (const child of node.children) stack.push({ node: child, caller: node.callFrame.url === '' ? caller : own });
    if (node.selfSize === 0) continue;
    total += node.selfSize;
    byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
    const pkg = packageOfUrl(node.callFrame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + node.selfSize);
  }
  const perRequest = (map: Map<string, number>): [string, number][] => top(map, count).map(([key, bytes]) => [key, bytes / requests]);
  return { perRequest: total / requests, byPackage: perRequest(byPackage), byFunction: perRequest(byFunction) };
}

export function renderAllocations(summary: AllocationSummary): string {
  const list = (entries: readonly [string, number][]): string[] => entries.map(([key, bytes]) => `  ${bytes.toFixed(0).padStart(7)} B  ${key}`);
  return [`${(summary.perRequest / 1024).toFixed(2)} KB allocated per request (collected objects included)`, 'by package:', ...list(summary.byPackage), 'by allocating function:', ...list(summary.byFunction)].join('\n');
}
