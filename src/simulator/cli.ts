#!/usr/bin/env node
/**
 * The `runware-simulator` command. This module is a program entry: it starts the simulator when
 * run. Everything reusable lives in `cli-args.ts` and `index.ts`.
 */
import { CLI_USAGE, parseCliArgs, type CliCommand } from './cli-args.js';
import { startSimulator } from './index.js';
import { videosInWords } from './media/media-status.js';

/**
 * Ends the command: a wrong command line (exit code 2, with a pointer to the usage), or right
 * flags with a simulator that could not start, a port in use (exit code 1, the usage is no help).
 */
const fail = (message: string, code: 1 | 2 = 2): never => {
  process.stderr.write(`runware-simulator: ${message}\n${code === 2 ? 'Run with --help for usage.\n' : ''}`);
  process.exit(code);
};

let command: CliCommand;
try {
  command = parseCliArgs(process.argv.slice(2));
} catch (error) {
  command = fail(error instanceof Error ? error.message : String(error));
}

if (command.kind === 'help') {
  process.stdout.write(CLI_USAGE);
} else {
  const log = command.verbose ? (line: string) => process.stderr.write(`[simulator] ${line}\n`) : undefined;
  const simulator = await startSimulator({ ...command.options, ...(log ? { log } : {}) }).catch((error: unknown) =>
    fail(`could not start: ${error instanceof Error ? error.message : String(error)}`, 1),
  );
  // The URL alone on stdout, so scripts can read it with one line of `read`.
  process.stdout.write(`${simulator.url}\n`);
  process.stderr.write(
    `Runware simulator listening; ${simulator.media.images} images, ${videosInWords(simulator.media)} at ${simulator.httpUrl}/media/. Ctrl+C to stop.\n`,
  );

  const stop = (signal: NodeJS.Signals) => {
    process.stderr.write(`Received ${signal}, closing.\n`);
    if (command.options.faults !== undefined) process.stderr.write(`Faults injected: ${JSON.stringify(simulator.faults.counts())}\n`);
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
