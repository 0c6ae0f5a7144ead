import { STARTING_BALANCE } from '../account.js';
import type { SimulatorEnv } from '../env.js';
import type { TaskRecord } from '../task-store.js';
import type { TaskObject } from '../types.js';
import { ParamError } from './param-error.js';
import { invalidParam, readParams } from './params.js';
import { defineFreeTool, roundPrice } from './tool-task.js';

/** Validated `accountManagement` parameters (protocol §4.18). */
type AccountParams =
  | { readonly operation: 'getDetails' }
  | {
      readonly operation: 'getUsageActivity' | 'getUsagePerformance' | 'getUsageErrors';
      readonly startDate: string;
      readonly endDate: string;
      readonly models: readonly string[] | undefined;
      readonly groupBy: readonly ('date' | 'model' | 'apiKey')[];
      readonly timezone: string;
    };

const OPERATIONS = ['getDetails', 'getUsageActivity', 'getUsagePerformance', 'getUsageErrors'] as const;
const DAY = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const readDate = (task: TaskObject, name: string, fallback: string): string => {
  const value = task[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw invalidParam(name, 'string', 'a date YYYY-MM-DD', value);
  return value;
};

const readList = <T extends string>(task: TaskObject, name: string, allowed?: readonly T[]): T[] | undefined => {
  const value = task[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && (allowed === undefined || (allowed as readonly string[]).includes(item)))) {
    throw invalidParam(name, 'array', allowed === undefined ? 'a list of strings' : `a list of ${allowed.join(', ')}`, value, allowed);
  }
  return value as T[];
};

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

const parseAccount = (task: TaskObject, env: SimulatorEnv): AccountParams => {
  const read = readParams(task, env.options);
  const operation = read.optionalChoice('operation', OPERATIONS);
  if (operation === undefined) throw new ParamError({ code: 'missingOperation', message: 'Missing operation parameter.', parameter: 'operation', type: 'string', allowedValues: OPERATIONS });
  if (operation === 'getDetails') return { operation };
  const today = isoDay(env.now());
  const endDate = readDate(task, 'endDate', today);
  const startDate = readDate(task, 'startDate', isoDay(Date.parse(`${endDate}T00:00:00Z`) - 6 * DAY));
  const span = (Date.parse(`${endDate}T00:00:00Z`) - Date.parse(`${startDate}T00:00:00Z`)) / DAY;
  if (span < 0) throw invalidParam('endDate', 'string', `a date on or after startDate (${startDate})`, endDate);
  // Inclusive of both ends: 30 days at most (docs).
  if (span > 29) throw invalidParam('startDate', 'string', `at most 30 days before endDate (${endDate})`, startDate);
  const models = readList(task, 'models');
  readList(task, 'apiKeys');
  const groupBy = readList(task, 'groupBy', ['date', 'model', 'apiKey'] as const) ?? ['date'];
  const timezone = task['timezone'] === undefined || task['timezone'] === null ? 'UTC' : read.string('timezone', { min: 1, max: 64 });
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    throw invalidParam('timezone', 'string', 'an IANA time zone such as "Europe/Paris"', timezone);
  }
  return { operation, startDate, endDate, models, groupBy, timezone };
};

const modelOf = (record: TaskRecord): string => (typeof record.request['model'] === 'string' ? record.request['model'] : record.taskType);

/** What the remembered tasks (the last ten minutes or more) cost in all, and how many there were. */
const spending = (env: SimulatorEnv) => {
  let credits = 0;
  let requests = 0;
  for (const record of env.tasks.records()) {
    credits += record.cost;
    requests += 1;
  }
  return { credits: roundPrice(credits), requests };
};

const maskedKey = (env: SimulatorEnv): string => {
  const key = typeof env.options.apiKey === 'string' ? env.options.apiKey : 'simulator-key';
  return `${key.slice(0, 4)}${'*'.repeat(Math.max(4, key.length - 8))}${key.slice(-4)}`;
};

const details = (env: SimulatorEnv) => {
  const spent = spending(env);
  const created = new Date(env.now() - 30 * DAY).toISOString();
  return {
    organizationUUID: env.account.organizationUUID,
    organizationName: 'Runware simulator',
    AIRSource: 'runware',
    balance: { amount: roundPrice(STARTING_BALANCE - spent.credits), freeBalance: 0, currency: 'USD' },
    team: [{ name: 'Simulator user', email: 'user@simulator.invalid', roles: ['Owner'], joinedAt: created }],
    apiKeys: [{ name: 'Default', apiKey: maskedKey(env), description: 'The key this simulator accepts', createdAt: created, enabled: true, requests: spent.requests, lastUsedAt: new Date(env.now()).toISOString() }],
    usage: { today: spent, last7Days: spent, last30Days: spent, total: spent },
  };
};

/** The usage in the period, one row per group (date, model, apiKey), from the remembered tasks. */
const usage = (env: SimulatorEnv, params: Exclude<AccountParams, { operation: 'getDetails' }>) => {
  const rows = new Map<string, { date?: string; model?: string; apiKey?: string; requests: number; credits: number; durationMs: number; errors: number }>();
  const from = Date.parse(`${params.startDate}T00:00:00Z`);
  const to = Date.parse(`${params.endDate}T00:00:00Z`) + DAY;
  const key = maskedKey(env);
  for (const record of env.tasks.records()) {
    if (record.createdAt < from || record.createdAt >= to) continue;
    const model = modelOf(record);
    if (params.models !== undefined && !params.models.includes(model)) continue;
    const group = { ...(params.groupBy.includes('date') ? { date: isoDay(record.createdAt) } : {}), ...(params.groupBy.includes('model') ? { model } : {}), ...(params.groupBy.includes('apiKey') ? { apiKey: key } : {}) };
    const id = JSON.stringify(group);
    const row = rows.get(id) ?? { ...group, requests: 0, credits: 0, durationMs: 0, errors: 0 };
    row.requests += 1;
    row.credits = roundPrice(row.credits + record.cost);
    row.durationMs += Math.max(0, ...record.generations.map((generation) => generation.readyAt - generation.startedAt));
    row.errors += record.generations.filter((generation) => generation.failure !== undefined).length;
    rows.set(id, row);
  }
  const data = [...rows.values()].map(({ durationMs, errors, ...row }) =>
    params.operation === 'getUsagePerformance' ? { ...row, averageDurationMs: Math.round(durationMs / row.requests) } : params.operation === 'getUsageErrors' ? { ...row, errors } : row,
  );
  return { startDate: params.startDate, endDate: params.endDate, timeseries: { data, meta: { groupBy: params.groupBy, timezone: params.timezone, total: data.length } } };
};

/**
 * `accountManagement`: `getDetails` answers the organisation, a balance
 * `{ amount, freeBalance, currency }` (the current schema's object form: 100 USD less what the
 * remembered tasks cost, `includeCost` or not), the team, the key (masked) and usage figures; the
 * usage operations (`getUsageActivity`, `getUsagePerformance`, `getUsageErrors`) answer a
 * `timeseries` of the remembered tasks in `startDate`–`endDate` (inclusive, at most 30 days;
 * default the last 7), grouped by `groupBy`. Costs nothing.
 */
export const accountManagement = defineFreeTool({
  parse: (task, context) => parseAccount(task, context.env),
  answer(params, context) {
    const { env, taskType, taskUUID } = context;
    return {
      deliveryMethod: 'sync',
      results: 1,
      produce: () => ({ taskType, taskUUID, operation: params.operation, ...(params.operation === 'getDetails' ? details(env) : usage(env, params)) }),
    };
  },
});

