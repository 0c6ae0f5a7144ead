import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository: where the package is packed from and where the tools (tsc, tsx, jest) live. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A tool from the repository's own devDependencies, run by path: nothing is fetched. */
export const tool = (relativePath: string): string => join(repoRoot, 'node_modules', relativePath);

/** What a finished command printed, and how it ended. */
export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment of a user's shell: ours without what an `npm test` run adds (npm_* settings
 * that would point a nested npm at this repository), without a Runware key or URL, and without
 * module path overrides that could let a fresh project find the repository's packages.
 *
 * @param extra Variables to set on top.
 * @returns The environment.
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(name) || /^(RUNWARE_|NODE_PATH$|NODE_OPTIONS$|VITEST|TSX_)/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

/**
 * Runs a command to completion. It never rejects on a non-zero exit: tests assert on the result
 * and show its output when it is not what they expected.
 *
 * @param command The executable.
 * @param args Its arguments.
 * @param options Working directory and extra environment.
 * @returns The exit status and output.
 */
export function run(
  command: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env?: Record<string, string> },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: userEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A one-line summary of a result for assertion messages. */
export const describeRun = (result: RunResult): string =>
  `exit ${result.code ?? result.signal}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;

/** The packed tarball and the files npm put in it. */
export interface PackedPackage {
  readonly tarball: string;
  readonly files: readonly string[];
}

/**
 * Packs the repository as `npm publish` would. `prepack` builds `dist/` first, so the tarball
 * holds exactly what the sources build to now.
 *
 * @param destination Where the tarball goes.
 * @returns The tarball's path and its file list.
 */
export async function packPackage(destination: string): Promise<PackedPackage> {
  const result = await run('npm', ['pack', '--json', '--pack-destination', destination], { cwd: repoRoot });
  if (result.code !== 0) throw new Error(`npm pack failed: ${describeRun(result)}`);
  const [packed] = JSON.parse(result.stdout) as [{ filename: string; files: { path: string }[] }];
  return { tarball: join(destination, packed.filename), files: packed.files.map((file) => file.path) };
}

/**
 * The files `npm pack` would put in the tarball, without building or packing anything.
 *
 * @returns Paths relative to the package root.
 */
export async function packedFileList(): Promise<string[]> {
  const result = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot });
  if (result.code !== 0) throw new Error(`npm pack --dry-run failed: ${describeRun(result)}`);
  const [packed] = JSON.parse(result.stdout) as [{ files: { path: string }[] }];
  return packed.files.map((file) => file.path);
}

/** A long-running command whose first stdout line is awaited (a server printing its URL). */
export interface RunningCommand {
  readonly firstLine: string;
  /** Everything printed on stderr so far. */
  stderr(): string;
  /** Sends SIGTERM to the process we started and resolves once it has exited. */
  stop(): Promise<RunResult>;
}

/**
 * Starts a command and waits for the first line it prints; fails if it exits before that.
 *
 * @param command The executable.
 * @param args Its arguments.
 * @param cwd The working directory.
 * @returns The running command.
 */
export function startCommand(command: string, args: readonly string[], cwd: string): Promise<RunningCommand> {
  const child = spawn(command, args, { cwd, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = new Promise<RunResult>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    child.once('error', reject);
    void closed.then((result) => reject(new Error(`${command} exited before printing a line: ${describeRun(result)}`)));
    lines.once('line', (firstLine) => {
      stdout += `${firstLine}\n`;
      lines.on('line', (line) => (stdout += `${line}\n`));
      resolve({
        firstLine,
        stderr: () => stderr,
        stop: () => {
          child.kill('SIGTERM');
          return closed;
        },
      });
    });
  });
}

/**
 * The first fenced code block of a README section: what a reader copies.
 *
 * @param heading The section's heading text, e.g. `Quick start`.
 * @param language The fence's language, e.g. `ts`.
 * @returns The code, without the fences.
 */
export async function readmeCodeBlock(heading: string, language: string): Promise<string> {
  const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith(`${heading}\n`));
  const code = section?.match(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'm'))?.[1];
  if (code === undefined) throw new Error(`README.md has no \`\`\`${language} block under "## ${heading}"`);
  return code;
}
