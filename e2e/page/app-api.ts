import type { createRunware } from 'runware-rx';

/** What the page script puts on `window` for the tests' `page.evaluate` callbacks. */
export interface E2EApi {
  /** `createRunware` from the built package, as a browser app gets it from its bundler. */
  readonly createRunware: typeof createRunware;
  /** Appends one line to the page's event list (for people and screenshots, not for asserts). */
  readonly showEvent: (text: string, kind?: 'result' | 'error') => void;
  /** Adds a captioned media element to the page and returns it. */
  readonly showMedia: <K extends 'video' | 'img'>(tag: K, caption: string) => HTMLElementTagNameMap[K];
}

declare global {
  interface Window {
    runwareE2E?: E2EApi;
    /** URLs given to the page's native `WebSocket` constructor, recorded by an init script. */
    nativeSocketUrls?: string[];
  }
}
