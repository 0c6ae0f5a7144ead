import type { ValidationIssue } from '../errors/validation-error.js';
import type { AnyTask } from '../tasks/define-task.js';

/**
 * Why a checked request may not stream, if it asks to (`deliveryMethod: "stream"`): the one rule
 * beside the schemas. A task whose own parameters have no deliveryMethod (modelSearch,
 * imageUpload) would send "stream" as an unknown field and go over HTTP; and a dry run asks the
 * socket (§10.6), while a stream runs over HTTP, where a dry run is unconfirmed.
 *
 * @param definition The task type.
 * @param output The checked parameters.
 * @param dryRun Whether the client is a dry-run one.
 * @returns The issue, or `undefined` when the request does not stream or may.
 */
export function streamIssue(definition: AnyTask, output: Readonly<Record<string, unknown>>, dryRun: boolean): ValidationIssue | undefined {
  if (output['deliveryMethod'] !== 'stream') return undefined;
  if (!Object.hasOwn(definition.params.entries, 'deliveryMethod')) return { path: 'deliveryMethod', message: `${definition.taskType} cannot stream: deliveryMethod "stream" is for textInference only` };
  if (dryRun) return { path: 'deliveryMethod', message: 'a dry-run client prices tasks over the WebSocket, which cannot stream: price the request with deliveryMethod "sync"' };
  return undefined;
}
