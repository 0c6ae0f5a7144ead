import { randomUUID } from 'node:crypto';
import { namespaceOf } from '../catalog.js';
import { echo } from '../compact.js';
import type { SimulatorEnv } from '../env.js';
import { encodeSafetensors } from '../media/safetensors.js';
import { randomFor } from '../media/prng.js';
import type { TaskObject } from '../types.js';
import { acknowledge } from './acknowledge.js';
import { plannedGenerations, runGenerations } from './generations.js';
import { ANY, checkFields } from './inference-inputs.js';
import { ParamError } from './param-error.js';
import { missingParam, optionalObject, readNested, readParams } from './params.js';
import { rememberTask } from './remember.js';
import { defineHandler } from './task-handler.js';
import { costOf, priced, type Priced } from './tool-task.js';

/** Validated `training` parameters (protocol §4.21). */
interface TrainingParams extends Priced {
  readonly model: string;
  readonly air: string;
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  readonly isPrivate: boolean;
}

/** What a training reports while it runs, by the share of its time elapsed. */
const PHASES = [
  [0, 'Validating the dataset.'],
  [0.1, 'Preparing the images and captions.'],
  [0.2, 'Training.'],
  [0.9, 'Converting and storing the model.'],
] as const;

const parseTraining = (task: TaskObject, env: SimulatorEnv): TrainingParams => {
  const read = readParams(task, env.options);
  const method = task['deliveryMethod'];
  if (method !== undefined && method !== null && method !== 'async') {
    throw new ParamError({ code: 'unsupportedDeliveryMethod', message: `Invalid value for deliveryMethod parameter. training is async-only: omit deliveryMethod or send "async", then poll with getResponse (received ${echo(method)}).`, parameter: 'deliveryMethod', type: 'string', allowedValues: ['async'] });
  }
  const model = read.model();
  if (optionalObject(task, 'importModel') === undefined) throw missingParam('importModel', 'object');
  const imported = readNested(task, 'importModel', env.options);
  const air = imported.optionalNewModel('importModel.air');
  if (air === undefined) throw missingParam('importModel.air', 'string');
  const name = imported.string('importModel.name', { min: 1, max: 1000 });
  const version = task['importModel'] !== undefined && (task['importModel'] as Record<string, unknown>)['version'] !== undefined ? imported.string('importModel.version', { min: 1, max: 1000 }) : '1';
  const isPrivate = imported.optionalBoolean('importModel.private') ?? true;
  const inputs = optionalObject(task, 'inputs');
  if (inputs?.['dataset'] === undefined || inputs['dataset'] === null) throw missingParam('inputs.dataset', 'string');
  checkFields(inputs, 'inputs.', { single: [['dataset', ANY]], lists: [], objects: [] }, env);
  optionalObject(task, 'settings');
  const architecture = (task['importModel'] as Record<string, unknown>)['architecture'];
  return { model, air, name, version, architecture: typeof architecture === 'string' ? architecture : 'flux1d', isPrivate, ...priced(read, 2) };
};

/** A small LoRA's weights, from the AIR: two rank-4 matrices. */
const loraFile = (params: TrainingParams): Buffer => {
  const random = randomFor(params.air, 1);
  const tensor = (rows: number, columns: number) => ({ shape: [rows, columns], data: Float32Array.from({ length: rows * columns }, () => (random() - 0.5) / 10) });
  return encodeSafetensors({ 'lora_unet_down.weight': tensor(4, 64), 'lora_unet_up.weight': tensor(64, 4) }, { ss_base_model: params.model, ss_output_name: params.name });
};

/**
 * `training`: async only (sync is `unsupportedDeliveryMethod`, as py-legacy refuses it): an ack,
 * then getResponse reports `processing` with an integer `progress` and a `message` naming the
 * phase (reported whatever the `progress` option, since the API reports progress for trainings),
 * over `videoReadyAfterMs`; then `{ status: "success", air, outputs: { files: [{ uuid, url }] },
 * cost? }` whose file is a small valid safetensors LoRA, and the model is the account's
 * (`modelSearch` finds it).
 */
export const training = defineHandler({
  createsTask: true,
  parse: (task, context) => parseTraining(task, context.env),
  price: (params) => params.price,
  run(params, context) {
    const { env, session, taskType, taskUUID } = context;
    const now = env.now();
    const generations = plannedGenerations(1, env.latency.delays(session, env.options.videoReadyAfterMs, 1), now);
    const running = (generation: { startedAt: number; readyAt: number }, at: number) => {
      const span = Math.max(1, generation.readyAt - generation.startedAt);
      const share = Math.min(0.99, Math.max(0, (at - generation.startedAt) / span));
      const message = [...PHASES].reverse().find(([from]) => share >= from)![1];
      return { progress: Math.floor(100 * share), message };
    };
    rememberTask(context, generations, params.price, now, running);
    acknowledge(context);
    runGenerations({
      context,
      generations,
      pushResults: false,
      // A trained model is no media output (protocol §4.1 names uploadEndpoint for media tasks only).
      uploadsOutputs: false,
      produce() {
        const uuid = randomUUID();
        const url = env.media.library.keep(uuid, { bytes: loraFile(params), mime: 'application/octet-stream' }, 'safetensors');
        const readyIn = generations[0]!.readyAt - env.now();
        env.timers.after(Math.max(0, readyIn), () =>
          env.account.addModel({
            air: params.air, name: params.name, version: params.version, category: 'lora', architecture: params.architecture, tags: ['trained'], private: params.isPrivate,
            capabilities: ['text-to-image'], source: 'community', isFavorite: false, provider: namespaceOf(params.air), shortDescription: params.name,
            comment: '', positiveTriggerWords: '', negativeTriggerWords: '', defaultWeight: 1, addedUnixTimestamp: Math.floor(env.now() / 1000), updatedDateUnixTimestamp: Math.floor(env.now() / 1000), popularity: 0,
          }),
        );
        return { taskType, taskUUID, air: params.air, outputs: { files: [{ uuid, url }] }, ...costOf(params) };
      },
    });
  },
});
