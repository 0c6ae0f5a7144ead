import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogRecord } from 'runware-rx';

/*
 * A client created in a page with what looks like a raw Runware key warns once; the check runs
 * when the client is made, never at import. Each test loads the client afresh, so the
 * once-per-page memory starts empty, and installs a page's globals only for its own duration.
 */

const RAW_KEY = 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z';
const URL = 'ws://127.0.0.1:9/v1';

async function freshClient(): Promise<typeof import('runware-rx')> {
  vi.resetModules();
  return import('runware-rx');
}

function inAPage(): void {
  vi.stubGlobal('window', {});
  vi.stubGlobal('document', {});
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('a raw-looking API key in a browser', () => {
  it('warns once per page, without quoting the key, through console.warn when there is no logger', async () => {
    const { createRunware } = await freshClient();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    inAPage();
    createRunware({ apiKey: RAW_KEY, url: URL });
    createRunware({ apiKey: RAW_KEY, url: URL });
    expect(warn).toHaveBeenCalledTimes(1);
    const [line] = warn.mock.calls[0] as [string];
    expect(line).toContain('dangerouslyAllowBrowser: true');
    expect(line).toContain('runware-rx/relay');
    expect(line).not.toContain(RAW_KEY);
  });

  it('goes to the logger when the client has one', async () => {
    const { createRunware } = await freshClient();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const logged: LogRecord[] = [];
    inAPage();
    createRunware({ apiKey: RAW_KEY, url: URL, logger: (record) => logged.push(record) });
    expect(warn).not.toHaveBeenCalled();
    expect(logged).toEqual([expect.objectContaining({ level: 'warn', event: 'apiKey.browser' })]);
  });

  it('is silent with dangerouslyAllowBrowser: true', async () => {
    const { createRunware } = await freshClient();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    inAPage();
    createRunware({ apiKey: RAW_KEY, url: URL, dangerouslyAllowBrowser: true });
    expect(warn).not.toHaveBeenCalled();
  });

  it.each([
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ'],
    ['a UUID', '0f8fad5b-d9cb-469f-a165-70867728950e'],
    ['a nanoid', 'V1StGXR8_Z5jdHi6B-myT'],
    ['32 characters with a hyphen', 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4-'],
  ])('is silent for a relay session token such as %s', async (_kind, token) => {
    const { createRunware } = await freshClient();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    inAPage();
    createRunware({ apiKey: token, url: URL });
    expect(warn).not.toHaveBeenCalled();
  });

  it('is silent for a token function', async () => {
    const { createRunware } = await freshClient();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    inAPage();
    createRunware({ apiKey: () => RAW_KEY, url: URL });
    expect(warn).not.toHaveBeenCalled();
  });

  it('is silent in Node, and a page installed after import is judged when the client is made', async () => {
    const { createRunware } = await freshClient();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    createRunware({ apiKey: RAW_KEY, url: URL });
    expect(warn).not.toHaveBeenCalled();
    inAPage();
    createRunware({ apiKey: RAW_KEY, url: URL });
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
