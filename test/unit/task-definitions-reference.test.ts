import { describe, expect, it } from 'vitest';
import { checkParams } from '../../src/tasks/check-params.js';
import { audioInference, videoInference } from 'runware-rx/tasks';

/*
 * Task schemas against the protocol reference: a field or value the reference names is known to
 * the schema (checked, not reported as unknown, not refused with strictParams).
 */

describe('task schemas know what the reference names', () => {
  it('audioInference takes the output formats py-legacy adds, PCM, OPUS and AAC, in either case (protocol §9 #21: accept the superset)', () => {
    for (const outputFormat of ['PCM', 'OPUS', 'AAC', 'pcm', 'opus', 'aac']) {
      const checked = checkParams(audioInference.params, { model: 'elevenlabs:1@1', positivePrompt: 'a calm piano piece', outputFormat });
      expect(checked, outputFormat).toMatchObject({ success: true, unknown: [] });
    }
  });

  it('videoInference knows speech.speed, pitch, volume and language, beside voice and text (protocol §4.3)', () => {
    const speech = { voice: 'auto', text: 'Hello there', speed: 1.2, pitch: 0, volume: 0.8, language: 'en' };
    const checked = checkParams(videoInference.params, { model: 'pixverse:1@5', duration: 5, speech });
    expect(checked).toMatchObject({ success: true, unknown: [], output: { speech } });
    expect(checkParams(videoInference.params, { model: 'pixverse:1@5', duration: 5, speech: { ...speech, speed: 'fast' } })).toMatchObject({
      success: false,
      issues: [{ path: 'speech.speed', message: 'speech.speed must be a number (got "fast")' }],
    });
  });
});
