import videojs from 'video.js';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import MediaCollection from '../../src/plugin';
import {
  DERIVED, ENDPOINT, FakeApi, OPTIONS, PARAMS, SRC, T0, advance, createPlayer, deferred, created, expectAllValid, settle, status
} from './helpers';
import { takeLogs } from './setup';

let api: FakeApi;
beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  api = new FakeApi();
});

describe('registration', () => {
  it('registers mediaCollection as an advanced plugin on videojs', () => {
    expect(videojs.getPlugin('mediaCollection')).toBe(MediaCollection);
    expect(MediaCollection.VERSION).toBe(__VERSION__);
  });

  it('returns the same tracker on every later call', () => {
    const { player, tracker } = createPlayer();
    expect(tracker).toBeInstanceOf(MediaCollection);
    expect(player.mediaCollection()).toBe(tracker);
  });
});

describe('session start', () => {
  it('sends sessionStart at the first play with the ts and playhead of that moment', async () => {
    const { play, media, player } = createPlayer(OPTIONS, { time: 0 });
    play();
    await settle();
    expect(api.requests[0].url).toBe(`${ENDPOINT}/api/v1/sessions`);
    expect(api.requests[0].init).toMatchObject({
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'omit',
      keepalive: true
    });
    expect(api.bodies).toEqual([
      { eventType: 'sessionStart', playerTime: { playhead: 0, ts: T0 }, params: { ...DERIVED, ...PARAMS } },
      { eventType: 'play', playerTime: { playhead: 0, ts: T0 + 1 } }
    ]);
    expect(api.requests[1].url).toBe(`${ENDPOINT}/api/v1/sessions/s1/events`);
    expect(player.mediaCollection().sessionId).toBe('s1');
    expect(media.time).toBe(0);
    expectAllValid(api);
  });
});
