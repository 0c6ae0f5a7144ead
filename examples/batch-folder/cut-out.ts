import { writeFile } from 'node:fs/promises';
import type { Observable } from 'rxjs';
import { filter, mergeMap, tap } from 'rxjs';
import type { RunwareClient, TaskEvent, TaskOptions } from 'runware-rx';
import { fromFile } from 'runware-rx/node';
import type { RemoveBackgroundResult } from 'runware-rx/tasks';

/** Where the cut-out of `photo.jpg` goes: beside it, as `photo.nobg.png`. */
export const cutOutPathOf = (input: string): string => input.replace(/\.jpe?g$/i, '') + '.nobg.png';

/** Options of {@link cutOut$}. */
export interface CutOutOptions {
  /** Per-request options: a taskUUID chosen beforehand (see the queue example), a deadline. */
  readonly request?: TaskOptions;
  /** Sees every event of the request (`submitted`, `retrying`, ...), to log or record them. */
  readonly onEvent?: (event: TaskEvent<RemoveBackgroundResult>) => void;
}

/**
 * One photo through background removal, its PNG written beside it; emits the output's path.
 * The image comes back inline (`base64Data`), which saves a download per file.
 *
 * @param runware The client.
 * @param input A JPEG's path.
 * @param options A chosen taskUUID, an event listener.
 * @returns The path written, once written.
 */
export function cutOut$(runware: RunwareClient, input: string, options: CutOutOptions = {}): Observable<string> {
  const output = cutOutPathOf(input);
  return runware.removeBackground$({ inputImage: fromFile(input), outputFormat: 'PNG', outputType: 'base64Data' }, options.request).pipe(
    tap((event) => options.onEvent?.(event)),
    filter((event) => event.type === 'result'),
    mergeMap(async ({ item }) => {
      if (item.imageBase64Data === undefined) throw new Error('the result carries no image');
      await writeFile(output, Buffer.from(item.imageBase64Data, 'base64'));
      return output;
    }),
  );
}
