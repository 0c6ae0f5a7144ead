import { describe, expect, it } from 'vitest';
import { fetchFailureText, neverSent } from '../../src/transport/fetch-failure.js';

/*
 * Which failures of Node's fetch prove that its request never left: those before a connection
 * opened. Anything that may have come after the request was written counts as sent.
 */

/** A failure as Node's fetch reports it: a TypeError whose cause is the system error. */
const fetchFailed = (cause: object): TypeError => new TypeError('fetch failed', { cause });

describe('what a failed fetch says', () => {
  it('holds for a refused or unroutable connection, a name not found, a connect timeout, a URL that cannot be read', () => {
    expect(neverSent(fetchFailed({ code: 'ECONNREFUSED', syscall: 'connect' }))).toBe(true);
    expect(neverSent(fetchFailed({ code: 'EHOSTUNREACH', syscall: 'connect' }))).toBe(true);
    expect(neverSent(fetchFailed({ code: 'ENOTFOUND', syscall: 'getaddrinfo' }))).toBe(true);
    expect(neverSent(fetchFailed({ code: 'EAI_AGAIN', syscall: 'getaddrinfo' }))).toBe(true);
    expect(neverSent(fetchFailed({ code: 'UND_ERR_CONNECT_TIMEOUT' }))).toBe(true);
    expect(neverSent(fetchFailed({ code: 'ERR_INVALID_URL' }))).toBe(true);
  });

  it('holds when every address tried was refused, not when one of them connected and then broke', () => {
    const refused = { code: 'ECONNREFUSED', syscall: 'connect' };
    expect(neverSent(fetchFailed({ code: 'ECONNREFUSED', errors: [refused, refused] }))).toBe(true);
    expect(neverSent(fetchFailed({ code: 'ECONNREFUSED', errors: [refused, { code: 'ECONNRESET', syscall: 'read' }] }))).toBe(false);
  });

  it('does not hold for a reset or a close, which may come after the request was written', () => {
    expect(neverSent(fetchFailed({ code: 'ECONNRESET', syscall: 'read' }))).toBe(false);
    expect(neverSent(fetchFailed({ code: 'ECONNRESET' }))).toBe(false);
    expect(neverSent(fetchFailed({ code: 'UND_ERR_SOCKET', message: 'other side closed' }))).toBe(false);
    expect(neverSent(fetchFailed({ code: 'ETIMEDOUT', syscall: 'read' }))).toBe(false);
  });

  it('does not hold for what says nothing of where it failed: a browser\'s "Failed to fetch", an abort, anything else', () => {
    expect(neverSent(new TypeError('Failed to fetch'))).toBe(false);
    expect(neverSent(new DOMException('This operation was aborted', 'AbortError'))).toBe(false);
    expect(neverSent(new Error('connect ECONNREFUSED'))).toBe(false);
    expect(neverSent('ECONNREFUSED')).toBe(false);
    expect(neverSent(undefined)).toBe(false);
  });

  it('names the system\'s code in the words of a failure, which Node\'s "fetch failed" does not', () => {
    expect(fetchFailureText(fetchFailed({ code: 'ECONNREFUSED', syscall: 'connect' }))).toBe('fetch failed (ECONNREFUSED)');
    expect(fetchFailureText(new TypeError('Failed to fetch'))).toBe('Failed to fetch');
    expect(fetchFailureText('down')).toBe('down');
  });
});
