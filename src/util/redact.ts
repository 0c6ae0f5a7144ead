/**
 * Replaces every occurrence of a secret in a text, so an API key can never reach a log line or
 * an error message even when a server echoes it back.
 *
 * @param text The text to clean.
 * @param secret The secret to hide; nothing is replaced when it is empty.
 * @returns The text with the secret replaced by `[redacted]`.
 */
export function redactSecret(text: string, secret: string): string {
  return secret.length > 0 && text.includes(secret) ? text.split(secret).join('[redacted]') : text;
}
