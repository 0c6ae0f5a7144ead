import { parseArgs } from 'node:util';
import { FAULT_FLAG_OPTIONS, FAULT_USAGE, parseFaultFlags } from './faults/fault-flags.js';
import { FAILURE_SHAPES, type ExternalInputs, type FailureShape, type SimulatorOptions } from './options.js';
import { isProfile, PROFILES, type Framing } from './profile.js';

/** What the command line asks for. */
export type CliCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'start'; readonly options: SimulatorOptions; readonly verbose: boolean };

const { default: D, realistic: R } = PROFILES;
const onOff = (value: boolean): string => (value ? 'on' : 'off');

/** The `--help` text; the profiles' values come from PROFILES, so they cannot drift. */
export const CLI_USAGE = `Usage: runware-simulator [options]

A local Runware API simulator: the WebSocket protocol on /v1 (and /), media over HTTP.
Tasks: imageInference, videoInference, getResponse, upscale (imageUpscale),
removeBackground (imageBackgroundRemoval), caption (imageCaption) and their video forms,
promptEnhance, imageUpload, mediaStorage, audioInference, textInference, 3dInference,
vectorize, imageMasking, controlNetPreprocess (imageControlNetPreProcess), photoMaker,
modelSearch, modelUpload, training, accountManagement, getTaskDetails; ?dryRun=1 on the
URL prices tasks without running them. Prints its WebSocket URL on stdout once
listening; logs go to stderr.

Options:
  --host H            interface to listen on (default 127.0.0.1)
  --port N            port, 0 for any free one (default 8080)
  --api-key KEY       accept only this API key (default: any non-empty key)
  --fast              no media encoding: placeholder files for benchmarks
  --verbose           log connections and sessions to stderr
  -h, --help          show this help

Fidelity:
  --no-model-check    accept every well-formed AIR as a model; by default a model must
                      be catalogued or of a known namespace (runware, civitai, klingai,
                      google, pixverse, ...), else modelNotFound, as the real API answers
                      nonexistent:999@999
  --external-inputs M what an http(s) media input becomes, since the simulator never
                      fetches: stand-in (an image drawn from a hash of the URL) or error
                      (the API's invalid<Field> error) (default stand-in)
  --failure-shape S   where a failed generation is reported: errors (a top-level
                      errors item, the docs' shape) or data (a data item with the
                      error nested, the new SDKs' shape) (default errors)

Delivery (a profile sets them all; each flag given overrides its profile's value):
  --profile NAME      default: results of one event-loop turn share a frame, fixed
                      latencies, progress on every poll; realistic: as the real API,
                      one frame per result, spread latencies and generations, no
                      progress (default: default)
  --framing F         batched | mixed | per-result (default ${D.framing}; realistic ${R.framing})
  --video-seconds S   median seconds until an async result is ready (default ${D.videoReadyAfterMs / 1000})
  --image-latency MS  median delay before each sync image result, in ms
                      (default ${D.imageLatencyMs}; realistic ${R.imageLatencyMs})
  --latency-spread X  sigma of a log-normal latency factor per task, 0-2
                      (default ${D.latencySpread}; realistic ${R.latencySpread})
  --generation-spread X
                      sigma of a log-normal factor per generation, 0-2, so the
                      numberResults of one task finish apart (default ${D.generationSpread}; realistic ${R.generationSpread})
  --latency-seed N    seed of the latency draws, per session (default 1)
  --progress, --no-progress
                      progress on processing getResponse items (default ${onOff(D.progress)};
                      realistic ${onOff(R.progress)})

Fault injection (random chaos, reproducible per seed; rates are probabilities 0-1, default 0):
${FAULT_USAGE}`;

const FRAMINGS: readonly Framing[] = ['batched', 'mixed', 'per-result'];
const EXTERNAL_INPUTS: readonly ExternalInputs[] = ['stand-in', 'error'];
const isSpread = (value: number): boolean => Number.isFinite(value) && value >= 0 && value <= 2;

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
    // For --no-progress.
    allowNegative: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'api-key': { type: 'string' },
      'video-seconds': { type: 'string' },
      'image-latency': { type: 'string' },
      profile: { type: 'string' },
      framing: { type: 'string' },
      'latency-spread': { type: 'string' },
      'generation-spread': { type: 'string' },
      'latency-seed': { type: 'string' },
      progress: { type: 'boolean' },
      'model-check': { type: 'boolean' },
      'external-inputs': { type: 'string' },
      'failure-shape': { type: 'string' },
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
  const latencySpread = number('latency-spread', values['latency-spread'], isSpread, 'a number 0-2');
  const generationSpread = number('generation-spread', values['generation-spread'], isSpread, 'a number 0-2');
  const latencySeed = number('latency-seed', values['latency-seed'], (v) => Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff, 'an integer 0-4294967295');
  const { profile, framing, progress } = values;
  if (profile !== undefined && !isProfile(profile)) throw new RangeError(`--profile must be one of ${Object.keys(PROFILES).join(', ')}, got "${profile}"`);
  if (framing !== undefined && !FRAMINGS.includes(framing as Framing)) throw new RangeError(`--framing must be one of ${FRAMINGS.join(', ')}, got "${framing}"`);
  const externalInputs = values['external-inputs'];
  if (externalInputs !== undefined && !EXTERNAL_INPUTS.includes(externalInputs as ExternalInputs)) {
    throw new RangeError(`--external-inputs must be one of ${EXTERNAL_INPUTS.join(', ')}, got "${externalInputs}"`);
  }
  const failureShape = values['failure-shape'];
  if (failureShape !== undefined && !FAILURE_SHAPES.includes(failureShape as FailureShape)) {
    throw new RangeError(`--failure-shape must be one of ${FAILURE_SHAPES.join(', ')}, got "${failureShape}"`);
  }
  const checkModels = values['model-check'];
  const apiKey = values['api-key'];
  if (apiKey === '') throw new RangeError('--api-key must not be empty');
  const faults = parseFaultFlags(values);

  const options: SimulatorOptions = {
    port,
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(videoSeconds === undefined ? {} : { videoReadyAfterMs: Math.round(videoSeconds * 1000) }),
    ...(imageLatency === undefined ? {} : { imageLatencyMs: imageLatency }),
    ...(profile === undefined ? {} : { profile }),
    ...(framing === undefined ? {} : { framing: framing as Framing }),
    ...(latencySpread === undefined ? {} : { latencySpread }),
    ...(generationSpread === undefined ? {} : { generationSpread }),
    ...(latencySeed === undefined ? {} : { latencySeed }),
    ...(progress === undefined ? {} : { progress }),
    ...(checkModels === undefined ? {} : { checkModels }),
    ...(externalInputs === undefined ? {} : { externalInputs: externalInputs as ExternalInputs }),
    ...(failureShape === undefined ? {} : { failureShape: failureShape as FailureShape }),
    ...(values.fast ? { media: false } : {}),
    ...(faults === undefined ? {} : { faults }),
  };
  return { kind: 'start', options, verbose: values.verbose };
};
