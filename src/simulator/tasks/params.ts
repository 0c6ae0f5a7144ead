import { isKnownModel, KNOWN_NAMESPACES } from '../catalog.js';
import { echo } from '../compact.js';
import type { TaskObject } from '../types.js';
import { ParamError } from './param-error.js';
import { isRecord } from '../is-record.js';

/** Server-wide rules a reader applies (from the simulator's options). */
export interface ReadRules {
  /** Reject well-formed AIRs that are neither catalogued nor of a known namespace (see catalog.ts). */
  readonly checkModels: boolean;
}

const DEFAULT_RULES: ReadRules = { checkModels: true };

/** An inclusive numeric range, optionally restricted to multiples of a step. */
export interface Range {
  readonly min: number;
  readonly max: number;
  readonly multipleOf?: number;
}

/** Typed, validated access to a task's parameters; every method throws {@link ParamError}. */
export interface ParamReader {
  integer(name: string, range: Range): number;
  optionalInteger(name: string, range: Range): number | undefined;
  optionalNumber(name: string, range: Range): number | undefined;
  string(name: string, length: { readonly min: number; readonly max: number }): string;
  /** An AIR model identifier such as `runware:101@1`, of a model the simulator accepts (catalog.ts). */
  model(name?: string): string;
  /** As {@link ParamReader.model}, or undefined when absent. */
  optionalModel(name?: string): string | undefined;
  /** The AIR of a model a task makes (an upload's `air`), or undefined: its shape only, as no catalogue lists it yet (§4.16). */
  optionalNewModel(name: string): string | undefined;
  optionalChoice<T extends string>(name: string, allowed: readonly T[], code?: string): T | undefined;
  /** One of `allowed`, or a non-empty list of them (protocol §10.2: `outputType` may be a list); undefined when absent. */
  optionalChoices<T extends string>(name: string, allowed: readonly T[]): readonly T[] | undefined;
  optionalBoolean(name: string): boolean | undefined;
}

const AIR = /^[a-z0-9][a-z0-9_.-]*:[a-z0-9_.-]+@[a-z0-9_.-]+$/i;
/** Real AIRs are a few dozen characters; a longer one is a mistake, and would be echoed in errors. */
const MAX_AIR_LENGTH = 256;

/** A parameter's name in an error code: its last segment, capitalised (`settings.rgba` → `Rgba`). */
const capitalised = (name: string) => {
  const last = name.slice(name.lastIndexOf('.') + 1).replace(/\[\d+\]$/, '');
  return last.charAt(0).toUpperCase() + last.slice(1);
};

const missing = (name: string, type: string) =>
  new ParamError({ code: `missing${capitalised(name)}`, message: `Missing ${name} parameter.`, parameter: name, type });

const modelNotFound = (name: string, value: string) =>
  new ParamError({
    code: 'modelNotFound',
    message:
      `Model ${echo(value)} does not exist. Known namespaces: ${[...KNOWN_NAMESPACES].join(', ')} ` +
      '(the simulator accepts any id and version under them).',
    parameter: name,
    type: 'string',
  });

interface InvalidDetails {
  readonly code?: string | undefined;
  readonly allowedValues?: readonly unknown[];
}

const invalid = (name: string, type: string, rule: string, value: unknown, details: InvalidDetails = {}) =>
  new ParamError({
    code: details.code ?? `invalid${capitalised(name)}`,
    message: `Invalid value for ${name} parameter. It must be ${rule} (received ${echo(value)}).`,
    parameter: name,
    type,
    ...(details.allowedValues === undefined ? {} : { allowedValues: details.allowedValues }),
  });

const describeRange = (kind: string, { min, max, multipleOf }: Range) =>
  `${kind} between ${min} and ${max}${multipleOf === undefined ? '' : ` and a multiple of ${multipleOf}`}`;

const inRange = (value: number, { min, max, multipleOf }: Range) =>
  value >= min && value <= max && (multipleOf === undefined || value % multipleOf === 0);

/**
 * Reads parameters the way the API validates them: absent optional parameters are `undefined`,
 * present ones must have the right type and range. Unknown parameters are ignored, since SDKs send
 * many fields the simulator does not model.
 */
export const readParams = (task: TaskObject, rules: ReadRules = DEFAULT_RULES): ParamReader => {
  const checkedNumber = (name: string, range: Range, integer: boolean): number | undefined => {
    const value = task[name];
    if (value === undefined || value === null) return undefined;
    const valid = typeof value === 'number' && (integer ? Number.isInteger(value) : Number.isFinite(value)) && inRange(value, range);
    if (!valid) throw invalid(name, integer ? 'integer' : 'float', describeRange(integer ? 'an integer' : 'a number', range), value);
    return value;
  };

  const reader: ParamReader = {
    integer(name, range) {
      const value = checkedNumber(name, range, true);
      if (value === undefined) throw missing(name, 'integer');
      return value;
    },
    optionalInteger: (name, range) => checkedNumber(name, range, true),
    optionalNumber: (name, range) => checkedNumber(name, range, false),
    string(name, { min, max }) {
      const value = task[name];
      if (value === undefined || value === null) throw missing(name, 'string');
      if (typeof value !== 'string') throw invalid(name, 'string', 'a string', value);
      if (value.length < min || value.length > max) {
        throw invalid(name, 'string', `a string of ${min} to ${max} characters`, value, {
          code: `invalid${capitalised(name)}Length`,
        });
      }
      return value;
    },
    model(name = 'model') {
      const value = reader.optionalModel(name);
      if (value === undefined) throw missing(name, 'string');
      return value;
    },
    optionalModel(name = 'model') {
      const value = reader.optionalNewModel(name);
      if (value !== undefined && rules.checkModels && !isKnownModel(value)) throw modelNotFound(name, value);
      return value;
    },
    optionalNewModel(name) {
      const value = task[name];
      if (value === undefined || value === null) return undefined;
      if (value === '') throw missing(name, 'string');
      if (typeof value !== 'string' || value.length > MAX_AIR_LENGTH || !AIR.test(value)) {
        throw invalid(name, 'string', 'an AIR identifier such as "runware:101@1"', value);
      }
      return value;
    },
    optionalChoice(name, allowed, code) {
      const value = task[name];
      if (value === undefined || value === null) return undefined;
      const match = typeof value === 'string' ? allowed.find((option) => option.toLowerCase() === value.toLowerCase()) : undefined;
      if (match === undefined) {
        throw invalid(name, 'string', `one of ${allowed.join(', ')}`, value, { code, allowedValues: allowed });
      }
      return match;
    },
    optionalChoices(name, allowed) {
      const value = task[name];
      if (!Array.isArray(value)) {
        const one = this.optionalChoice(name, allowed);
        return one === undefined ? undefined : [one];
      }
      const matches = value.map((entry) => (typeof entry === 'string' ? allowed.find((option) => option.toLowerCase() === entry.toLowerCase()) : undefined));
      if (value.length === 0 || matches.some((match) => match === undefined)) {
        throw invalid(name, 'string', `one of ${allowed.join(', ')}, or a list of them`, value, { allowedValues: allowed });
      }
      return [...new Set(matches as typeof allowed[number][])];
    },
    optionalBoolean(name) {
      const value = task[name];
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'boolean') throw invalid(name, 'boolean', 'true or false', value);
      return value;
    },
  };
  return reader;
};


/**
 * An object-valued parameter (`settings`, `audioSettings`, `inputs`), or undefined when absent.
 *
 * @throws ParamError `invalid<Name>` when it is present and not an object.
 */
export const optionalObject = (task: TaskObject, name: string): Record<string, unknown> | undefined => {
  const value = task[name];
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw invalid(name, 'object', 'an object', value);
  return value;
};

/**
 * A reader of the fields of an object-valued parameter, by their dotted names
 * (`read.integer('audioSettings.sampleRate', …)`), so each error names the field as the client
 * nested it (`parameter: "audioSettings.sampleRate"`, `code: "invalidSampleRate"`). An absent
 * object reads as empty.
 *
 * @param path How errors name the object, when it is itself nested (`settings.cache`).
 * @throws ParamError `invalid<Name>` when the parameter is present and not an object.
 */
export const readNested = (task: TaskObject, name: string, rules?: ReadRules, path = name): ParamReader => {
  const object = optionalObject(task, name) ?? {};
  return readParams(Object.fromEntries(Object.entries(object).map(([key, value]) => [`${path}.${key}`, value])), rules);
};

/** `invalid<Name>` for a value that breaks a rule the readers do not express (a list, a date). */
export const invalidParam = (name: string, type: string, rule: string, value: unknown, allowedValues?: readonly unknown[]): ParamError =>
  invalid(name, type, rule, value, allowedValues === undefined ? {} : { allowedValues });

/** `missing<Name>`. */
export const missingParam = (name: string, type: string): ParamError => missing(name, type);
