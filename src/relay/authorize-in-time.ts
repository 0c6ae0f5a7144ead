import type { IncomingMessage } from 'node:http';
import type { Subscription } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import type { Departure, Gone } from './departure.js';
import type { RelayPolicy, RelayRefusal } from './relay-policy.js';

/** What `authorize` decided on a token: a policy, a refusal, or (`undefined`) no. */
export type Decision = RelayPolicy | RelayRefusal | undefined;

/** Writes a line about the page whose token is decided on. */
type DecisionLog = (level: 'debug' | 'warn', event: string, detail: string) => void;

/** Whether a policy's token has expired by now. */
export const hasExpired = (policy: RelayPolicy): boolean => policy.expiresAt !== undefined && policy.expiresAt <= asyncScheduler.now();

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Asks `authorize` about a page's token, within `timeoutMs`, for as long as the page is there:
 * `'failed'` when it threw or took too long (the page is then told to come back later), `GONE`
 * when the page went away (or the relay let it go) first. Then its timer is stopped and its answer is not waited for,
 * whatever it is and whenever it comes, even with no time limit (`Infinity`): nothing is kept
 * for a page that is not there.
 *
 * @param authorize The relay's `authorize`.
 * @param token The page's token.
 * @param request The page's request (its upgrade, or its POST).
 * @param timeoutMs How long `authorize` may take (`Infinity`: no limit).
 * @param departure When the page goes.
 * @param log The page's log.
 * @returns The decision, `'failed'`, or `GONE`.
 */
export async function authorizeInTime(
  authorize: (token: string, request: IncomingMessage) => Promise<Decision>,
  token: string,
  request: IncomingMessage,
  timeoutMs: number,
  departure: Departure,
  log: DecisionLog,
): Promise<Decision | 'failed' | Gone> {
  let timer: Subscription | undefined;
  const late = new Promise<'late'>((resolve) => {
    if (timeoutMs !== Infinity) timer = asyncScheduler.schedule(() => resolve('late'), timeoutMs);
  });
  try {
    const decision = await departure.unless(Promise.race([authorize(token, request), late]));
    if (decision !== 'late') return decision;
    log('warn', 'relay.authorizeFailed', `authorize did not answer within ${timeoutMs} ms`);
  } catch (error) {
    log('warn', 'relay.authorizeFailed', `authorize failed: ${describe(error)}`);
  } finally {
    timer?.unsubscribe();
  }
  return 'failed';
}
