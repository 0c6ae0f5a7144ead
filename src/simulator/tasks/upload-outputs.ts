import { isRecord } from '../is-record.js';
import type { DataItem } from '../types.js';
import type { TaskContext } from './task-handler.js';

/**
 * What a result sent with `uploadEndpoint` PUTs (protocol §5.8): each output file it names, the
 * bytes its URL serves, looked up by UUID in the media library. So every mode is covered by one
 * rule: real media, and fast mode's placeholders too (their minted UUIDs resolve to the pinned
 * files the placeholder URLs serve), whatever `outputType` the result carries its output as.
 */

/** The fields naming a result's own output; not `inputImageUUID` and the like, which name what the task was given. */
const OUTPUT_FIELDS = ['imageUUID', 'videoUUID', 'audioUUID', 'guideImageUUID', 'maskImageUUID'] as const;

/** The UUIDs of the output files a result item names, 3dInference's `outputs.files` included. */
export const outputUUIDs = (item: DataItem): string[] => {
  const uuids: string[] = [];
  for (const field of OUTPUT_FIELDS) {
    const uuid = item[field];
    if (typeof uuid === 'string') uuids.push(uuid);
  }
  const outputs = item['outputs'];
  const files = isRecord(outputs) ? outputs['files'] : undefined;
  if (Array.isArray(files)) {
    for (const file of files as unknown[]) if (isRecord(file) && typeof file['uuid'] === 'string') uuids.push(file['uuid']);
  }
  return uuids;
};

/**
 * PUTs each output file of a ready result to `url`. A file the media cache already dropped (it
 * is bounded by bytes) cannot be sent, and is logged instead: its URL answers 404 by then too.
 *
 * @param context The task.
 * @param url The task's `uploadEndpoint`.
 * @param item The success item.
 */
export const uploadOutputs = ({ env, taskType, taskUUID }: TaskContext, url: string, item: DataItem): void => {
  for (const outputUUID of outputUUIDs(item)) {
    const file = env.media.library.find(outputUUID);
    if (file === undefined) env.options.log(`upload ${taskType} ${taskUUID}: output ${outputUUID} is no longer held, not PUT`);
    else env.uploads.send(url, { taskType, taskUUID, outputUUID, file });
  }
};
