import { parseArgs } from 'node:util';
import { FAULT_FLAG_OPTIONS, FAULT_USAGE, parseFaultFlags } from './faults/fault-flags.js';
import type { SimulatorOptions } from './options.js';

/** What the command line asks for. */
export type CliCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'start'; readonly options: SimulatorOptions; readonly verbose: boolean };

/** The `--help` text. */
export const CLI_USAGE = `Usage: runware-simulator [options]

A local Runware API simulator: the WebSocket protocol on /v1, generated media over HTTP.
Prints its WebSocket URL on stdout once listening; logs go to stderr.

Options:
  --host H            interface to listen on (default 127.0.0.1)
  --port N            port, 0 for any free one (default 8080)
  --api-key KEY       accept only this API key (default: any non-empty key)
  --video-seconds S   seconds until an async result is ready (default 3)
  --image-latency MS  delay before each sync image result, in ms (default 0)
  --fast              no media encoding: placeholder files for benchmarks
  --verbose           log connections and sessions to stderr
  -h, --help          show this help

Fault injection (random chaos, reproducible per seed; rates are probabilities 0-1, default 0):
${FAULT_USAGE}`;

const number = (flag: string, text: string | undefined, check: (value: number) => boolean, rule: string): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !check(value)) throw new RangeError(`--${flag} must be ${rule}, got "${text}"`);
  return value;
};

/**
 * Parses `runware-simulator` arguments (without the node and script paths). Pure: no I/O, throws
 * an Error with a readable message on bad input.
 */
export const parseCliArgs = (argv: readonly string[]): CliCommand => {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'api-key': { type: 'string' },
      'video-seconds': { type: 'string' },
      'image-latency': { type: 'string' },
      fast: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      ...FAULT_FLAG_OPTIONS,
    },
  });
  if (values.help) return { kind: 'help' };

  const port = number('port', values.port, (v) => Number.isInteger(v) && v >= 0 && v <= 65_535, 'an integer 0-65535') ?? 8080;
  const videoSeconds = number('video-seconds', values['video-seconds'], (v) => Number.isFinite(v) && v >= 0, 'a number >= 0');
  const imageLatency = number('image-latency', values['image-latency'], (v) => Number.isFinite(v) && v >= 0, 'a number >= 0');
  const apiKey = values['api-key'];
  if (apiKey === '') throw new RangeError('--api-key must not be empty');
  const faults = parseFaultFlags(values);

  const options: SimulatorOptions = {
    port,
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(videoSeconds === undefined ? {} : { videoReadyAfterMs: Math.round(videoSeconds * 1000) }),
    ...(imageLatency === undefined ? {} : { imageLatencyMs: imageLatency }),
    ...(values.fast ? { media: false } : {}),
    ...(faults === undefined ? {} : { faults }),
  };
  return { kind: 'start', options, verbose: values.verbose };
};
