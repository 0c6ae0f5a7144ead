import type { Observable, SchedulerLike } from 'rxjs';
import { asyncScheduler, catchError, debounceTime, distinctUntilChanged, filter, finalize, map, of, startWith, switchMap, tap } from 'rxjs';
import type { RunwareClient, RunwareError } from 'runware-rx';
import { isRunwareError } from 'runware-rx';
import type { ImageInferenceParams } from 'runware-rx/tasks';

/** What a page shows for the prompt being typed. */
export type PromptView =
  | { readonly state: 'generating'; readonly prompt: string }
  | { readonly state: 'ready'; readonly prompt: string; readonly imageURL: string | undefined }
  | { readonly state: 'failed'; readonly prompt: string; readonly error: RunwareError };

/** Options of {@link imagesForPrompts}. */
export interface PromptImagesOptions {
  /** How long typing must pause before a prompt is sent, in ms. Default 400. */
  readonly debounceMs?: number;
  /** The debounce's clock (a TestScheduler in virtual-time tests). Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** The image's model and size; the prompt is the user's. */
  readonly params?: Omit<ImageInferenceParams, 'positivePrompt'>;
  /** Told of each request superseded by a newer prompt before it finished. */
  readonly onCancelled?: (cancelled: { readonly prompt: string; readonly taskUUID: string | undefined }) => void;
}

/**
 * A page's prompt box as a stream of views: prompts are debounced, and each new one switches
 * to its own image request, which unsubscribes (cancels) the one before. A cancelled request
 * stops waiting and polling at once; the server may still finish it, and its result is dropped.
 * A failure is shown for its prompt and the stream goes on with the next one.
 *
 * @param runware The client.
 * @param prompts$ What the user types (`fromEvent(input, 'input')` mapped to its value, in a page).
 * @param options Debounce, model and size, cancellation listener.
 * @returns The view of the latest prompt.
 */
export function imagesForPrompts(runware: RunwareClient, prompts$: Observable<string>, options: PromptImagesOptions = {}): Observable<PromptView> {
  const { debounceMs = 400, scheduler = asyncScheduler, params = { model: 'runware:101@1', width: 512, height: 512 }, onCancelled } = options;

  const imageFor = (prompt: string): Observable<PromptView> => {
    let taskUUID: string | undefined;
    let finished = false;
    return runware.image$({ ...params, positivePrompt: prompt }).pipe(
      tap((event) => {
        if (event.type === 'submitted') taskUUID = event.taskUUID;
      }),
      filter((event) => event.type === 'result'),
      map(({ item }): PromptView => ({ state: 'ready', prompt, imageURL: item.imageURL })),
      catchError((error: unknown) => {
        if (isRunwareError(error)) return of<PromptView>({ state: 'failed', prompt, error });
        throw error;
      }),
      startWith<PromptView>({ state: 'generating', prompt }),
      tap({ complete: () => (finished = true), error: () => (finished = true) }),
      finalize(() => {
        if (!finished) onCancelled?.({ prompt, taskUUID });
      }),
    );
  };

  return prompts$.pipe(
    map((prompt) => prompt.trim()),
    // The API takes prompts of 2 characters or more.
    filter((prompt) => prompt.length >= 2),
    debounceTime(debounceMs, scheduler),
    distinctUntilChanged(),
    switchMap(imageFor),
  );
}
