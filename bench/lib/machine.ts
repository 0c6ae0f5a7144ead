/** The notes that make a results file comparable with another: machine, runtime, date, commit. */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem, type as osType, release } from 'node:os';

export interface MachineNotes {
  readonly cpu: string;
  readonly cores: number;
  readonly memory: string;
  readonly os: string;
  readonly node: string;
  readonly date: string;
  readonly commit: string;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export function machineNotes(): MachineNotes {
  const processors = cpus();
  const head = git(['rev-parse', '--short=12', 'HEAD']) || 'unknown';
  const dirty = git(['status', '--porcelain', '--', 'src']);
  return {
    cpu: `${processors[0]?.model ?? 'unknown'}${processors[0]?.speed ? ` (${processors[0].speed} MHz)` : ''}`,
    cores: processors.length,
    memory: `${Math.round(totalmem() / 1024 ** 3)} GiB`,
    os: `${osType()} ${release()}`,
    node: process.version,
    date: new Date().toISOString(),
    commit: dirty === '' ? head : `${head} + uncommitted changes in src/ (${dirty.split('\n').length} files)`,
  };
}

export function renderMachineNotes(notes: MachineNotes): string {
  return [
    `- CPU: ${notes.cpu}, ${notes.cores} cores; memory ${notes.memory}; ${notes.os}`,
    `- Node ${notes.node}`,
    `- Date: ${notes.date}`,
    `- Commit: ${notes.commit}`,
  ].join('\n');
}
