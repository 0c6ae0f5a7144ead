import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { createRunware } from 'runware-rx';
import { allTasks, imageInference, photoMaker } from 'runware-rx/tasks';
import { checkParams } from '../../src/tasks/check-params.js';
import { authOk, createFakeSockets } from '../support/fake-socket.js';

/*
 * `null` for a field is "not given", as the official clients mean it: py-legacy sends
 * `style: null, strength: null` on every photoMaker it makes, so code ported from it (or params
 * read from JSON, a form, a database row) carries nulls for the fields it leaves unset. Such a
 * field is checked as absent and, since what is checked is what is sent, it is not sent either.
 * Inside a list a null is a value, and is checked as one.
 */

const maker = { model: 'civitai:139562@297320', inputImages: ['https://example.com/face.png'], positivePrompt: 'a portrait', width: 512, height: 512 };

describe('a null field', () => {
  it('is taken for an unset one on photoMaker, as py-legacy sends it, and is left out of what is sent', () => {
    const checked = checkParams(photoMaker.params, { ...maker, style: null, strength: null, steps: null });
    expect(checked).toEqual({ success: true, output: maker, unknown: [], media: false });
  });

  it('is unset on every task, at any depth of a known object', () => {
    const checked = checkParams(imageInference.params, { model: 'runware:101@1', positivePrompt: 'a lighthouse', seed: null, safety: { checkContent: true, mode: null }, outpaint: null });
    expect(checked).toEqual({ success: true, output: { model: 'runware:101@1', positivePrompt: 'a lighthouse', safety: { checkContent: true } }, unknown: [], media: false });
    let visited = 0;
    for (const definition of Object.values(allTasks)) {
      const optional = Object.entries(definition.params.entries).filter(([, schema]) => schema.type === 'optional' || schema.type === 'nullish').map(([key]) => key);
      visited += optional.length;
      const withNulls = checkParams(definition.params, Object.fromEntries(optional.map((key) => [key, null])));
      const withNothing = checkParams(definition.params, {});
      expect(withNulls, definition.name).toEqual(withNothing);
    }
    expect(visited).toBeGreaterThan(100);
  });

  it('is still missing where the field is required', () => {
    const checked = checkParams(photoMaker.params, { ...maker, width: null });
    expect(checked.success ? [] : checked.issues).toEqual([{ path: 'width', message: 'width is required' }]);
  });

  it('is a value inside a list, checked as one', () => {
    const checked = checkParams(photoMaker.params, { ...maker, inputImages: [null] });
    expect(checked.success ? [] : checked.issues.map((issue) => issue.path)).toEqual(['inputImages.0']);
  });

  it('never reaches the wire: the task sent has no null in it', () => {
    const sockets = createFakeSockets();
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const failures: unknown[] = [];
    scheduler.run(() => {
      const runware = createRunware({ apiKey: 'k', url: 'ws://x.test/v1', WebSocket: sockets.WebSocket });
      runware.photoMaker$({ ...maker, style: null, strength: null }).subscribe({ error: (error: unknown) => failures.push(error) });
      scheduler.schedule(() => sockets.last().open(), 1);
      scheduler.schedule(() => sockets.last().receive(authOk('s')), 2);
      scheduler.schedule(() => void runware.disconnect(), 3);
    });
    const sent = sockets.last().sent.find((text) => text.includes('"photoMaker"'));
    expect(failures.filter((error) => (error as { code?: string }).code === 'validation')).toEqual([]);
    expect(sent).toBeDefined();
    expect(sent).not.toContain('null');
  });
});
