import { describe, expect, it } from 'vitest';
import { noted, sizeNote } from '../../examples/demo/describe-media.js';

describe('demo: the note on a file not of the size asked for', () => {
  it('names the size asked for when the file has another, and says nothing when it is that size', () => {
    expect(sizeNote({ width: 480, height: 270 }, { width: 1280, height: 720 })).toBe('not the 1280×720 asked for');
    expect(sizeNote({ width: 720, height: 1280 }, { width: 1280, height: 720 })).toBe('not the 1280×720 asked for');
    expect(sizeNote({ width: 1024, height: 1024 }, { width: 1024, height: 1024 })).toBeUndefined();
  });

  it('says nothing when either size is unknown: a file whose header could not be read, a request that left its size to the server', () => {
    expect(sizeNote(undefined, { width: 1280, height: 720 })).toBeUndefined();
    expect(sizeNote({ width: 480, height: 270 }, {})).toBeUndefined();
    expect(sizeNote({ width: 480, height: 270 }, { width: 1280, height: null })).toBeUndefined();
  });

  it('puts the notes that apply after the label, in one parenthesis', () => {
    expect(noted('MP4 480×270, 2.0 s, 24 frames', [undefined, 'not the 1280×720 asked for'])).toBe('MP4 480×270, 2.0 s, 24 frames (not the 1280×720 asked for)');
    expect(noted('PNG 8×8', ['placeholder', 'not the 1024×1024 asked for'])).toBe('PNG 8×8 (placeholder; not the 1024×1024 asked for)');
    expect(noted('PNG 1024×1024', [undefined, undefined])).toBe('PNG 1024×1024');
  });
});
