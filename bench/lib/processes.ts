/**
 * Every child process the harness starts is registered here, so that a crash, a timeout or
 * Ctrl+C in the orchestrator still ends them all: nothing outlives `npm run bench`.
 */
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
let hooked = false;

/** Kills every registered child that is still running (SIGKILL: no grace needed at exit). */
export function killAll(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** Registers a child: it is killed when the orchestrator exits, and forgotten when it exits. */
export function track(child: ChildProcess): ChildProcess {
  hookExit();
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** How `node` is started for TypeScript children: tsx as a loader, `runware-rx` mapped to `src/`. */
export const TS_NODE_ARGS = ['--import', 'tsx'] as const;
export const TS_ENV = { TSX_TSCONFIG_PATH: 'tsconfig.node.json' } as const;
