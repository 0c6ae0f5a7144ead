import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { list, oneOf, text } from './fields.js';
import { fieldResult } from './result-readers.js';

/** Parameters of `accountManagement`: which details, and for usage a period (at most 30 days). */
const accountManagementSchema = v.strictObject({
  operation: oneOf(['getDetails', 'getUsageActivity', 'getUsagePerformance', 'getUsageErrors']),
  startDate: v.nullish(text),
  endDate: v.nullish(text),
  models: v.nullish(list(text)),
  apiKeys: v.nullish(list(text)),
  groupBy: v.nullish(list(oneOf(['date', 'model', 'apiKey']))),
  timezone: v.nullish(text),
});

/** What `accountManagement` accepts. */
export type AccountManagementParams = ParamsOf<typeof accountManagement>;

/** The account's details (`getDetails`) or its usage (the usage operations). */
export interface AccountManagementResult {
  readonly taskType: 'accountManagement';
  readonly taskUUID: string;
  readonly operation: string;
  readonly organizationUUID?: string;
  readonly organizationName?: string;
  /** A number in older answers, an object in newer ones. */
  readonly balance?: number | { readonly amount: number; readonly freeBalance?: number; readonly currency?: string };
  readonly team?: readonly Readonly<Record<string, unknown>>[];
  readonly apiKeys?: readonly Readonly<Record<string, unknown>>[];
  readonly usage?: Readonly<Record<string, unknown>>;
  readonly startDate?: string;
  readonly endDate?: string;
  readonly timeseries?: unknown;
}

/** `accountManagement`: the account's balance, team, keys and usage. Costs nothing. */
export const accountManagement = defineTask({
  name: 'accountManagement',
  aliases: ['getAccountDetails'],
  taskType: 'accountManagement',
  params: accountManagementSchema,
  delivery: 'push',
  result: fieldResult<AccountManagementResult>('operation', 'balance', 'organizationUUID', 'usage'),
});
