import { randomInt, randomUUID } from 'node:crypto';

/**
 * UUIDs of fast-mode results that the simulator recognises without storing them. Every fast-mode
 * image or video is one of a few placeholder files, and registering each of millions of result
 * UUIDs in a map cost more than the rest of the fast path (measured: +15 % per task). So a
 * placeholder's UUID carries its own proof: its last 8 hex digits are a keyed hash of its first
 * 8 (32 random bits), with the placeholder's index in the three low bits. Recognising one
 * recomputes the hash; a UUID a client made up passes by chance once in 2^29. Minting costs about
 * 0.1 µs over `randomUUID()`.
 */
export interface PlaceholderIds {
  /** A fresh UUID v4 naming placeholder `index`. */
  mint(index: number): string;
  /** The placeholder index a UUID names (lower case), or undefined when it is not one of ours. */
  recognise(uuid: string): number | undefined;
}

/** 32 bits of FNV-1a over the first 8 characters, mixed with the key and finalised (murmur3's mixer). */
const keyedHash = (text: string, key: number): number => {
  let hash = 0x811c9dc5 ^ key;
  for (let i = 0; i < 8; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85eb_ca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2_ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
};

/** Characters of a UUID before its last 8 hex digits. */
const HEAD = 28;
/** The low bits of the tag that carry the placeholder's index: room for the six images and videos. */
const TAG_MASK = 7;

/**
 * Creates the minting for one simulator (its own random key, so a UUID of another run is not taken for one of this run's).
 *
 * @param count How many placeholders there are (at most 8).
 */
export const createPlaceholderIds = (count: number): PlaceholderIds => {
  if (count > 8) throw new RangeError('at most 8 placeholders fit in the three tag bits');
  const key = randomInt(0, 2 ** 32);
  // Built per instance, not at import: importing the simulator computes nothing.
  const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
  return {
    mint(index) {
      const uuid = randomUUID();
      const tag = ((keyedHash(uuid, key) & ~TAG_MASK) | index) >>> 0;
      return uuid.slice(0, HEAD) + HEX[tag >>> 24]! + HEX[(tag >>> 16) & 255]! + HEX[(tag >>> 8) & 255]! + HEX[tag & 255]!;
    },
    recognise(uuid) {
      if (uuid.length !== HEAD + 8) return undefined;
      const tag = Number.parseInt(uuid.slice(HEAD), 16);
      if (!Number.isInteger(tag)) return undefined;
      const index = tag & TAG_MASK;
      return ((keyedHash(uuid, key) & ~TAG_MASK) | index) >>> 0 === tag && index < count ? index : undefined;
    },
  };
};
