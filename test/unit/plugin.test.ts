import videojs from 'video.js';
import { describe, expect, it, vi } from 'vitest';
import MediaCollection from '../../src/plugin';
import { SEEK_SETTLE } from '../../src/playback';
import {
  DERIVED,
  ENDPOINT,
  OPTIONS,
  PARAMS,
  SRC,
  T0,
  advance,
  createPlayer,
  deferred,
  created,
  expectAllValid,
  settle,
  status,
  useFakeWorld
} from './helpers';
import { takeLogs } from './setup';

const world = useFakeWorld();

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
    expect(world.api.requests[0].url).toBe(`${ENDPOINT}/api/v1/sessions`);
    expect(world.api.requests[0].init).toMatchObject({
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'omit',
      keepalive: true
    });
    expect(world.api.bodies).toEqual([
      { eventType: 'sessionStart', playerTime: { playhead: 0, ts: T0 }, params: { ...DERIVED, ...PARAMS } },
      { eventType: 'play', playerTime: { playhead: 0, ts: T0 + 1 }, qoeData: { 'media.qoe.timeToStart': 0 } }
    ]);
    expect(world.api.requests[1].url).toBe(`${ENDPOINT}/api/v1/sessions/s1/events`);
    expect(player.mediaCollection().sessionId).toBe('s1');
    expect(media.time).toBe(0);
    expectAllValid(world.api);
  });
});

describe('the session id for other plugins', () => {
  it('exposes the id as sessionId, in the state and in mediacollection:sessionstart, and clears it at the end', async () => {
    const { play, player } = createPlayer();
    const tracker = player.mediaCollection();
    const started: unknown[] = [];
    const states: unknown[] = [];
    player.on('mediacollection:sessionstart', (_event: unknown, data: unknown) => started.push(data));
    tracker.on('statechanged', () => states.push(tracker.state.sessionId));
    expect(tracker.sessionId).toBeNull();
    play();
    await settle();
    expect(started).toEqual([{ sessionId: 's1' }]);
    expect(tracker.state.sessionId).toBe('s1');
    tracker.end();
    await settle();
    expect(tracker.sessionId).toBeNull();
    expect(tracker.state.sessionId).toBeNull();
    expect(states).toEqual(['s1', null]);
  });
});

describe('restart when the server lost the session', () => {
  it('starts a new session with media.resume after a 410 and re-sends the playback state', async () => {
    const { play, pause, player, media } = createPlayer();
    const started: unknown[] = [];
    const ended: unknown[] = [];
    player.on('mediacollection:sessionstart', (_event: unknown, data: unknown) => started.push(data));
    player.on('mediacollection:sessionend', (_event: unknown, data: unknown) => ended.push(data));
    play();
    await settle();
    media.time = 8;
    await advance(8000);
    world.api.answer(status(410, JSON.stringify({ message: 'session closed' })));
    pause();
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1', 'pauseStart@8→s1', 'sessionStart@8', 'pauseStart@8→s2']);
    expect(world.api.bodies[3]).toEqual({
      eventType: 'sessionStart',
      playerTime: { playhead: 8, ts: T0 + 8001 },
      params: { ...DERIVED, ...PARAMS, 'media.resume': true }
    });
    expect(started).toEqual([{ sessionId: 's1' }, { sessionId: 's2' }]);
    expect(ended).toEqual([{ sessionId: 's1', reason: 'expired' }]);
    expect(player.mediaCollection().sessionId).toBe('s2');
    await advance(10000);
    expect(world.api.sequence.at(-1)).toBe('ping@8→s2');
    expectAllValid(world.api);
  });
});

describe('a restart while a seek settles', () => {
  it('resumes playing, with the seek ended, and keeps ts in order', async () => {
    const { play, fire, media } = createPlayer();
    play();
    await settle();
    media.time = 5;
    await advance(5000);
    world.api.answer(status(410));
    fire('seeking');
    media.time = 30;
    fire('seeked');
    await settle();
    await advance(SEEK_SETTLE);
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1', 'pauseStart@4.999→s1', 'sessionStart@30', 'play@30→s2']);
    const ts = world.api.bodies.slice(3).map((body) => body.playerTime.ts);
    expect(ts[1]).toBeGreaterThan(ts[0]);
    expectAllValid(world.api);
  });
});

describe('a server that closes every session', () => {
  it('stops resuming after 5 lost sessions of one media item, with one error', async () => {
    const { play, player } = createPlayer();
    const errors: unknown[] = [];
    player.on('mediacollection:error', (_event: unknown, data: unknown) => errors.push(data));
    world.api.answer(...Array.from({ length: 12 }, (_, i) => (i % 2 ? status(410) : created(`x${i}`))));
    play();
    await advance(100);
    const message = '5 sessions lost: stopped until new media or start()';
    expect(takeLogs('error')).toEqual([expect.stringContaining(message)]);
    expect(errors).toEqual([{ code: 'dropped', message }]);
    expect(world.api.sequence.filter((s) => s.startsWith('sessionStart'))).toHaveLength(6);
    const count = world.api.requests.length;
    await advance(60000);
    expect(world.api.requests).toHaveLength(count);
    expect(player.mediaCollection().sessionId).toBeNull();
  });
});

describe('rejected requests', () => {
  it('logs the server message of a 400 and triggers mediacollection:error, then goes on', async () => {
    const { play, pause, player } = createPlayer();
    const errors: unknown[] = [];
    player.on('mediacollection:error', (_event: unknown, data: unknown) => errors.push(data));
    play();
    await settle();
    world.api.answer(status(400, JSON.stringify({ message: 'pauseStart: bad playhead' })));
    pause();
    play();
    await settle();
    const message = `dropped pauseStart (ts ${T0 + 2}): HTTP 400: pauseStart: bad playhead`;
    expect(takeLogs('error')).toEqual([expect.stringContaining(message)]);
    expect(errors).toEqual([{ code: 'rejected', message }]);
    expect(world.api.sequence.at(-1)).toBe('play@0→s1');
  });
});

describe('leaving', () => {
  it('sends sessionEnd when the player is disposed, and leaves no timer behind', async () => {
    const { play, player, media } = createPlayer();
    play();
    media.time = 3;
    await advance(3000);
    player.dispose();
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1', 'sessionEnd@3→s1']);
    expect(world.api.requests[2].init.keepalive).toBe(true);
    // Nothing keeps running: no ping, no idle timeout, no retry.
    world.api.answer(status(503));
    await advance(3600000);
    expect(world.api.requests).toHaveLength(3);
  });

  it('finishes the work of a request in flight at dispose, once, without timers', async () => {
    const slow = deferred<Response>();
    world.api.answer(slow.promise);
    const { play, pause, player } = createPlayer();
    play();
    pause();
    player.dispose();
    await advance(60000);
    expect(world.api.sequence).toEqual(['sessionStart@0']);
    slow.resolve(created('late'));
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→late', 'pauseStart@0→late', 'sessionEnd@0→late']);
    await advance(3600000);
    expect(world.api.requests).toHaveLength(4);
    expectAllValid(world.api);
  });

  it('sends sessionEnd at pagehide with keepalive, and resumes if the page comes back', async () => {
    const { play, pause, player, media } = createPlayer();
    play();
    await settle();
    media.time = 5;
    await advance(5000);
    pause();
    window.dispatchEvent(new Event('pagehide'));
    expect(world.api.sequence.slice(-2)).toEqual(['pauseStart@5→s1', 'sessionEnd@5→s1']);
    expect(world.api.requests.at(-1)!.init.keepalive).toBe(true);
    await settle();
    // Back from the back-forward cache.
    window.dispatchEvent(new Event('pageshow'));
    play();
    await settle();
    expect(world.api.sequence.slice(-2)).toEqual(['sessionStart@5', 'play@5→s2']);
    expect(world.api.bodies.at(-2)!.params!['media.resume']).toBe(true);
    expect(player.mediaCollection().sessionId).toBe('s2');
  });

  it('stops listening to pagehide once disposed', async () => {
    const { play, player } = createPlayer();
    play();
    await settle();
    player.dispose();
    await settle();
    const count = world.api.requests.length;
    window.dispatchEvent(new Event('pagehide'));
    expect(world.api.requests).toHaveLength(count);
  });
});

describe('invalid options', () => {
  it('logs one error, triggers mediacollection:error, sends nothing and leaves playback alone', async () => {
    const errors: unknown[] = [];
    const { play, player } = createPlayer({ endpoint: 'http://example.hb-world.api.omtrdc.net', params: { 'media.channel': 'web' } });
    player.on('mediacollection:error', (_event: unknown, data: unknown) => errors.push(data));
    await advance(10);
    play();
    await advance(20000);
    expect(world.api.requests).toHaveLength(0);
    const message =
      'invalid options, nothing is sent: endpoint must be an https: URL (http: only on loopback or with allowHttp), got "http://example.hb-world.api.omtrdc.net"; params lacks the required analytics.trackingServer, analytics.reportSuite, visitor.marketingCloudOrgId';
    expect(takeLogs('error')).toEqual([expect.stringContaining(message)]);
    expect(errors).toEqual([{ code: 'invalid-options', message }]);
    expect(player.mediaCollection().sessionId).toBeNull();
    expect(() => player.mediaCollection().start()).not.toThrow();
    expect(() => player.mediaCollection().end()).not.toThrow();
  });

  it('warns once about unknown params and works with the rest', async () => {
    const { play } = createPlayer({ ...OPTIONS, params: { ...PARAMS, 'media.typo': 1 } });
    expect(takeLogs('warn')).toEqual([expect.stringContaining('media.typo')]);
    play();
    await settle();
    expect(world.api.bodies[0].params).toEqual({ ...DERIVED, ...PARAMS });
  });

  it('never lets an exception from the plugin reach the page', async () => {
    const { play, player } = createPlayer();
    const errors: unknown[] = [];
    player.on('mediacollection:error', (_event: unknown, data: unknown) => errors.push(data));
    Object.assign(player, {
      currentTime: () => {
        throw new Error('tech gone');
      }
    });
    expect(() => play()).not.toThrow();
    expect(takeLogs('error')).toEqual([expect.stringContaining('internal error, tracking goes on: Error: tech gone')]);
    expect(errors).toEqual([{ code: 'internal', message: 'internal error, tracking goes on: Error: tech gone' }]);
  });
});

describe('configuration', () => {
  it('works when set up through data-setup alone', async () => {
    const video = document.createElement('video');
    video.setAttribute('data-setup', JSON.stringify({ plugins: { mediaCollection: OPTIONS } }));
    document.body.appendChild(video);
    const player = videojs(video);
    Object.assign(player, { duration: () => 60, currentTime: () => 0, paused: () => false, currentSrc: () => SRC });
    player.tech(true).trigger('play');
    await settle();
    expect(world.api.bodies[0].params).toEqual({ ...DERIVED, ...PARAMS });
    player.dispose();
  });

  it('logs each request with debug: true', async () => {
    const info = vi.spyOn(window.console, 'log').mockImplementation(() => undefined);
    const { play } = createPlayer({ ...OPTIONS, debug: true });
    play();
    await settle();
    const lines = info.mock.calls.map((args) => args.join(' '));
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`mediaCollection: sessionStart \\(ts ${T0}\\) → HTTP 201$`)),
      expect.stringMatching(new RegExp(`mediaCollection: play \\(ts ${T0 + 1}\\) → HTTP 204$`))
    ]);
    // The visitor's ids never reach the log.
    expect(lines.join()).not.toContain('ecid-1');
    expect(lines.join()).not.toContain('ABC@AdobeOrg');
  });
});
