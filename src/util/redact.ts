import { endOfJsonString } from './json-text.js';

/**
 * Strings shorter than this are not treated as secrets: real Runware keys are 32 characters,
 * and redacting a short test key such as `k` inside frame text would corrupt the JSON.
 */
export const MIN_SECRET_LENGTH = 8;

const REDACTED = '[redacted]';

/** JSON's two-character escapes, for the characters that have one. */
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '/': '\\/', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

let cached: { readonly secret: string; readonly pattern: RegExp } | undefined;

/**
 * A pattern matching the secret in every spelling JSON text can give it: each character as
 * itself, as `\uXXXX` (either case), or as its short escape (`\"`, `\\`, `\/`, ...). A server
 * that echoes the key escaped, or a key with a quote in it, is therefore still found in a frame.
 */
function patternOf(secret: string): RegExp {
  if (cached?.secret === secret) return cached.pattern;
  const parts = Array.from(secret, (char) => {
    const code = char.codePointAt(0) ?? 0;
    // Escapes first: a backslash in JSON text starts an escape, and matching it alone would cut one in half.
    const spellings: string[] = [];
    const short = SHORT_ESCAPES[char];
    if (short !== undefined) spellings.push(short.replace(/\\/g, '\\\\').replace('/', '\\/'));
    if (code <= 0xffff) spellings.push(`\\\\u${code.toString(16).padStart(4, '0').replace(/[a-f]/g, (hex) => `[${hex}${hex.toUpperCase()}]`)}`);
    spellings.push(char.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
    return `(?:${spellings.join('|')})`;
  });
  const pattern = new RegExp(parts.join(''), 'g');
  cached = { secret, pattern };
  return pattern;
}

/**
 * Replaces every occurrence of a secret in a text, in any spelling JSON can give it, so an API
 * key can never reach a log line or an error message even when a server echoes it back.
 *
 * @param text The text to clean (a message, or the raw text of a frame).
 * @param secret The secret to hide; nothing is replaced when it is shorter than {@link MIN_SECRET_LENGTH}.
 * @returns The text with the secret replaced by `[redacted]`.
 */
export function redactSecret(text: string, secret: string): string {
  if (secret.length < MIN_SECRET_LENGTH) return text;
  const pattern = patternOf(secret);
  pattern.lastIndex = 0;
  return pattern.test(text) ? text.replace(pattern, REDACTED) : text;
}

/**
 * Tokens shorter than this are not redacted from log lines. So few characters have so few
 * possible values that hiding them keeps nothing secret (they are guessed sooner than a log is
 * read), and they are the line's own words more often than not: `a`, `in`, `ms`, `100`.
 */
export const MIN_LOGGED_SECRET_LENGTH = 4;

/** Characters tokens and words are made of: a short secret next to one is a piece of another value (`in` in `textInference`). */
const WORD_CHAR = '[\\p{L}\\p{N}\\p{M}_-]';

let cachedWord: { readonly secret: string; readonly pattern: RegExp } | undefined;

/** A pattern matching a short secret where it stands as a value of its own: no word character on either side. */
function wordPatternOf(secret: string): RegExp {
  if (cachedWord?.secret === secret) return cachedWord.pattern;
  // Only syntax characters may be escaped in a Unicode pattern.
  const literal = secret.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  const pattern = new RegExp(`(?<!${WORD_CHAR})${literal}(?!${WORD_CHAR})`, 'gu');
  cachedWord = { secret, pattern };
  return pattern;
}

/**
 * Redacts a page's token from a log line about its connection. A token of
 * {@link MIN_SECRET_LENGTH} characters or more goes wherever it is, in any JSON spelling (as
 * {@link redactSecret}): a string that long is no piece of the line's own words. A shorter one
 * (a six-digit code, a short id in what an `authorize` hook threw) goes where it stands as a
 * value of its own, between characters that are not letters, digits, `-` or `_`: blanking it
 * out of longer words would mangle the relay's own (`in` out of `taskType=imageInference
 * inFlight=1`), and inside a longer word or number it is another value, not the token. One of
 * fewer than {@link MIN_LOGGED_SECRET_LENGTH} characters stays: it is no secret.
 *
 * @param text The line.
 * @param secret The token to hide.
 * @returns The line without the token.
 */
export function redactLogLine(text: string, secret: string): string {
  if (secret.length >= MIN_SECRET_LENGTH) return redactSecret(text, secret);
  if (secret.length < MIN_LOGGED_SECRET_LENGTH || !text.includes(secret)) return text;
  return text.replace(wordPatternOf(secret), REDACTED);
}

/**
 * Redacts a secret from a parsed JSON value: every string in it, keys included. Returns the same
 * value when nothing mentions the secret, otherwise a copy. Walks with a stack of its own, so a
 * value nested ten thousand deep cannot overflow the call stack, and it never throws.
 *
 * @param value A parsed JSON value (an item of a frame).
 * @param secret The secret to hide.
 * @returns The value, or a cleaned copy.
 */
export function redactValue<T>(value: T, secret: string): T {
  if (secret.length < MIN_SECRET_LENGTH || !mentions(value, secret)) return value;
  const clean = (text: string): string => (text.includes(secret) ? text.split(secret).join(REDACTED) : text);
  const copyOf = (node: unknown): unknown => (Array.isArray(node) ? [] : typeof node === 'object' && node !== null ? {} : typeof node === 'string' ? clean(node) : node);
  const root = copyOf(value);
  const stack: [unknown, unknown][] = [[value, root]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [source, target] = next as [Record<string, unknown>, Record<string, unknown>];
    if (typeof source !== 'object' || source === null) continue;
    for (const key of Object.keys(source)) {
      const child = source[key];
      const copy = copyOf(child);
      target[Array.isArray(source) ? key : clean(key)] = copy;
      if (typeof child === 'object' && child !== null) stack.push([child, copy]);
    }
  }
  return root as T;
}

/**
 * The JSON text with each string (keys included) that mentions the secret, once decoded, written
 * again without it; everything else, numbers above all, stays as written. The text must be JSON:
 * outside strings it holds no quote, so each quote found there opens one.
 */
function redactStrings(text: string, secret: string, pattern: RegExp): string {
  const parts: string[] = [];
  let copied = 0;
  for (let open = text.indexOf('"'); open !== -1; ) {
    const end = endOfJsonString(text, open);
    const token = text.slice(open, end);
    pattern.lastIndex = 0;
    if (pattern.test(token)) {
      const decoded = JSON.parse(token) as string;
      if (decoded.includes(secret)) {
        parts.push(text.slice(copied, open), JSON.stringify(decoded.split(secret).join(REDACTED)));
        copied = end;
      }
    }
    open = text.indexOf('"', end);
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/**
 * Redacts a secret from the text of a frame: structurally when it is JSON (each string decoded,
 * so every spelling of the secret is caught where it decodes, and written again without it), by
 * pattern when it is not. Only the strings that mention the secret are written again: the rest of
 * the text stays as it came, so the log shows a seed past 2^53 − 1 with its own digits, which a
 * parse into numbers and a second serialisation would round. (The exact parse of
 * protocol/exact-json.ts is not for util/, which imports nothing of the other layers, and is not
 * needed: nothing here is read as a number.) Costs a pattern test when the text does not mention
 * the secret, which is nearly always.
 *
 * @param text A frame's text.
 * @param secret The secret to hide.
 * @returns The text without the secret.
 */
export function redactFrameText(text: string, secret: string): string {
  if (secret.length < MIN_SECRET_LENGTH) return text;
  const pattern = patternOf(secret);
  pattern.lastIndex = 0;
  if (!pattern.test(text)) return text;
  try {
    // Whether it is JSON at all, as JSON.parse judges: only then are its quotes those of strings.
    JSON.parse(text);
  } catch {
    return redactSecret(text, secret);
  }
  return redactStrings(text, secret, pattern);
}

/** Whether any string in a value (keys included) contains the secret; iterative, never throws. */
function mentions(value: unknown, secret: string): boolean {
  const stack: unknown[] = [value];
  for (let node = stack.pop(); stack.length > 0 || node !== undefined; node = stack.pop()) {
    if (typeof node === 'string') {
      if (node.includes(secret)) return true;
    } else if (typeof node === 'object' && node !== null) {
      for (const key of Object.keys(node)) {
        if (key.includes(secret)) return true;
        stack.push((node as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}
