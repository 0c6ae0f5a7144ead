/**
 * Strings shorter than this are not treated as secrets: real Runware keys are 32 characters,
 * and redacting a short test key such as `k` inside frame text would corrupt the JSON.
 */
export const MIN_SECRET_LENGTH = 8;

/**
 * Replaces every occurrence of a secret in a text, so an API key can never reach a log line or
 * an error message even when a server echoes it back.
 *
 * @param text The text to clean.
 * @param secret The secret to hide; nothing is replaced when it is shorter than {@link MIN_SECRET_LENGTH}.
 * @returns The text with the secret replaced by `[redacted]`.
 */
export function redactSecret(text: string, secret: string): string {
  return secret.length >= MIN_SECRET_LENGTH && text.includes(secret) ? text.split(secret).join('[redacted]') : text;
}

/**
 * Redacts a secret from every string field of error items (messages, parameters, echoed values).
 *
 * @param items The error items of a frame.
 * @param secret The secret to hide.
 * @returns The same items where none mentions the secret, cleaned copies where one does.
 */
export function redactItems<T extends Readonly<Record<string, unknown>>>(items: readonly T[], secret: string): T[] {
  return items.map((item) => {
    if (secret.length < MIN_SECRET_LENGTH || !JSON.stringify(item).includes(secret)) return item;
    return JSON.parse(redactSecret(JSON.stringify(item), JSON.stringify(secret).slice(1, -1))) as T;
  });
}
