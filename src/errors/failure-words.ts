import type { RunwareError } from './runware-error.js';

/**
 * What a failed item says, as text: its server code and message. Failures carry no identity;
 * these words, and how many failures with the same words come before one, recognise it when a
 * later answer repeats it.
 *
 * @param error The failed item's error.
 * @returns Its words.
 */
export function failureWords(error: RunwareError): string {
  return `${error.serverCode ?? ''}\u0000${error.message}`;
}
