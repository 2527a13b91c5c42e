import { describe, expect, it, vi } from 'vitest';
import type { Delivery } from '../../src/delivery';
import type { TrackedEvent } from '../../src/events';
import { checkOptions } from '../../src/options';
import { ERROR_RECOVERY, SEEK_SETTLE, createPlayback } from '../../src/playback';
import { MAX_SESSION } from '../../src/sessions';
import { DERIVED, OPTIONS, PARAMS, SRC, T0, advance, createPlayer, expectAllValid, settle, useFakeWorld } from './helpers';
import { takeLogs } from './setup';
import type { MediaPlayer } from '../../src/player/player';

const world = useFakeWorld();

/** Lets `ms` of playback pass: the clock and the playhead move together. */
async function playFor(media: { time: number }, ms: number) {
  media.time += ms / 1000;
  await advance(ms);
}

describe('main-content events', () => {
  it('reports play, a user pause, resume and the end, without the pause that comes with ended', async () => {
    const { play, pause, fire, media, player } = createPlayer();
    const ends: unknown[] = [];
    player.on('mediacollection:sessionend', (_event: unknown, data: unknown) => ends.push(data));
    play();
    await playFor(media, 5000);
    pause();
    await advance(2000);
    play();
    await playFor(media, 3000);
    media.time = 60;
    media.ended = true;
    media.paused = true;
    fire('pause', 'ended');
    await settle();
    expect(world.api.sequence).toEqual([
      'sessionStart@0',
      'play@0→s1',
      'pauseStart@5→s1',
      'play@5→s1',
      'ping@8→s1',
      'sessionComplete@60→s1'
    ]);
    expect(world.api.bodies.map((body) => body.playerTime.ts)).toEqual([T0, T0 + 1, T0 + 5000, T0 + 7000, T0 + 10000, T0 + 10001]);
    expect(ends).toEqual([{ sessionId: 's1', reason: 'complete' }]);
    // No ping once the content is complete.
    await advance(60000);
    expect(world.api.requests).toHaveLength(6);
    expectAllValid(world.api);
  });

  it('pings every 10 s while playing, paused and buffering, with the playhead frozen when stopped', async () => {
    const { play, pause, fire, media } = createPlayer();
    play();
    await playFor(media, 10000);
    await playFor(media, 2000);
    pause();
    await advance(8000);
    await advance(10000);
    play();
    await playFor(media, 1000);
    fire('waiting');
    await advance(9000);
    fire('playing');
    await settle();
    expect(world.api.sequence).toEqual([
      'sessionStart@0',
      'play@0→s1',
      'ping@10→s1',
      'pauseStart@12→s1',
      'ping@12→s1',
      'ping@12→s1',
      'play@12→s1',
      'bufferStart@13→s1',
      'ping@13→s1',
      'play@13→s1'
    ]);
    const pings = world.api.bodies.filter((body) => body.eventType === 'ping');
    expect(pings.map((body) => body.playerTime.ts)).toEqual([T0 + 10000, T0 + 20000, T0 + 30000, T0 + 40000]);
    expect(pings.every((body) => Object.keys(body).join() === 'eventType,playerTime')).toBe(true);
    expectAllValid(world.api);
  });

  it('ignores a stall before the first frame (that is start-up time, not buffering)', async () => {
    const { fire, media } = createPlayer();
    media.paused = false;
    fire('play', 'waiting', 'playing');
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1']);
  });

  it('reports a seek as pauseStart where it starts and play at the new position', async () => {
    const { play, seek, media } = createPlayer();
    play();
    await playFor(media, 4000);
    seek(30);
    await advance(SEEK_SETTLE);
    await settle();
    // pauseStart carries where the seek began (the player already reports its target).
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1', 'pauseStart@3.999→s1', 'play@30→s1']);
    // play keeps the ts of the moment the seek ended, not of the end of the settling wait.
    expect(world.api.bodies[3].playerTime.ts).toBe(T0 + 4001);
    expectAllValid(world.api);
  });

  it('reports a scrub of many quick seeks as one pauseStart and one play', async () => {
    const { play, seek, media } = createPlayer();
    play();
    await playFor(media, 1000);
    for (let t = 5; t <= 50; t += 5) {
      seek(t);
      await advance(50);
    }
    await advance(SEEK_SETTLE);
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1', 'pauseStart@0.999→s1', 'play@50→s1']);
  });

  it('waits for playing after a seek into unbuffered media', async () => {
    const { play, fire, media } = createPlayer();
    play();
    await playFor(media, 1000);
    fire('seeking', 'waiting');
    await advance(2000);
    media.time = 40;
    fire('seeked', 'playing');
    await advance(SEEK_SETTLE);
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1', 'pauseStart@0.999→s1', 'play@40→s1']);
    expect(world.api.bodies[3].playerTime.ts).toBe(T0 + 3000);
  });

  it('sends nothing for a seek while paused, and play at the new position on resume', async () => {
    const { play, pause, seek, media } = createPlayer();
    play();
    await playFor(media, 2000);
    pause();
    seek(20);
    await advance(SEEK_SETTLE);
    play();
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1', 'pauseStart@2→s1', 'play@20→s1']);
  });

  it('reports a user pause during the seek settling time as paused, not playing', async () => {
    const { play, seek, pause, media } = createPlayer();
    play();
    await playFor(media, 2000);
    seek(10);
    pause();
    await advance(SEEK_SETTLE * 2);
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1', 'pauseStart@1.999→s1']);
  });

  it('reports a player error with its code and a stall, and ends the session when playback does not come back', async () => {
    const { play, player, media } = createPlayer();
    const ends: unknown[] = [];
    player.on('mediacollection:sessionend', (_event: unknown, data: unknown) => ends.push(data));
    play();
    await playFor(media, 3000);
    player.error({ code: 3, message: 'decode failed' } as never);
    await settle();
    expect(takeLogs('error')).toEqual([expect.stringContaining('decode failed')]);
    // The session stays open through the recovery window, the playhead frozen where it stopped.
    await advance(ERROR_RECOVERY - 1);
    expect(ends).toEqual([]);
    expect(player.mediaCollection().sessionId).toBe('s1');
    await advance(1);
    expect(world.api.bodies.slice(2).map((b) => [b.eventType, b.playerTime.playhead, b.playerTime.ts - T0, b.qoeData])).toEqual([
      ['error', 3, 3000, { 'media.qoe.errorID': '3', 'media.qoe.errorSource': 'player' }],
      ['bufferStart', 3, 3001, undefined],
      ...[1, 2, 3, 4, 5, 6].map((n) => ['ping', 3, n * 10000, undefined]),
      ['sessionEnd', 3, 3000 + ERROR_RECOVERY, undefined]
    ]);
    expect(ends).toEqual([{ sessionId: 's1', reason: 'error' }]);
    expect(player.mediaCollection().sessionId).toBeNull();
    expectAllValid(world.api);
  });

  it('continues the session when the same media plays again after an error (a retry, a reload)', async () => {
    const { play, player, media, fire } = createPlayer();
    play();
    await playFor(media, 3000);
    player.error({ code: 2, message: 'network' } as never);
    takeLogs('error');
    await advance(5000);
    // The site (or VHS's reload-on-error) loads the same source again, and it plays on.
    player.error(null as never);
    fire('loadstart');
    play();
    await playFor(media, 1000);
    await advance(ERROR_RECOVERY);
    expect(world.api.sequence.filter((s) => !s.startsWith('ping'))).toEqual([
      'sessionStart@0',
      'play@0→s1',
      'error@3→s1',
      'bufferStart@3→s1',
      'play@3→s1'
    ]);
    expect(player.mediaCollection().sessionId).toBe('s1');
    expectAllValid(world.api);
  });

  it('resumes the viewing in a new session when the media plays again after an error was taken as final', async () => {
    const { play, player, media, pause } = createPlayer();
    play();
    await playFor(media, 3000);
    pause();
    player.error({ code: 2, message: 'network' } as never);
    takeLogs('error');
    await advance(ERROR_RECOVERY);
    play();
    await settle();
    expect(world.api.sequence.filter((s) => !s.startsWith('ping'))).toEqual([
      'sessionStart@0',
      'play@0→s1',
      'pauseStart@3→s1',
      'error@3→s1',
      'sessionEnd@3→s1',
      'sessionStart@3',
      'play@3→s2'
    ]);
    expect(world.api.bodies.find((b, i) => i > 0 && b.eventType === 'sessionStart')!.params!['media.resume']).toBe(true);
    expectAllValid(world.api);
  });

  it("takes a pause while the player shows an error as the error's, not the viewer's", async () => {
    const { player, fire, media } = createPlayer();
    media.paused = false;
    fire('play');
    player.error({ code: 2, message: 'network' } as never);
    takeLogs('error');
    media.paused = true;
    fire('pause');
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@0', 'error@0→s1']);
  });

  it('ends the session at once when a new source follows an error', async () => {
    const { play, player, media, fire } = createPlayer();
    play();
    await playFor(media, 3000);
    player.error({ code: 4, message: 'unsupported' } as never);
    takeLogs('error');
    media.src = 'https://cdn.example.com/ep2.mp4';
    // A new source pauses the element (the media load algorithm).
    media.paused = true;
    player.error(null as never);
    fire('loadstart');
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1', 'error@3→s1', 'bufferStart@3→s1', 'sessionEnd@3→s1']);
  });

  it('starts a new session from the start when the viewer plays again after the end', async () => {
    const { play, fire, media } = createPlayer();
    play();
    media.time = 60;
    media.ended = true;
    media.paused = true;
    fire('pause', 'ended');
    await advance(5000);
    media.time = 0;
    media.ended = false;
    play();
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1', 'sessionComplete@60→s1', 'sessionStart@0', 'play@0→s2']);
    expect(world.api.bodies[3].params).not.toHaveProperty('media.resume');
  });

  it('ends the session on a new source and starts the next one with the new media', async () => {
    const { play, fire, media } = createPlayer();
    play();
    await playFor(media, 4000);
    media.src = 'https://cdn.example.com/ep2.mp4';
    media.time = 0;
    media.paused = true;
    fire('loadstart');
    media.duration = 90;
    fire('durationchange');
    await advance(1000);
    play();
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1', 'sessionEnd@3.999→s1', 'sessionStart@0', 'play@0→s2']);
    expect(world.api.bodies[3].params).toMatchObject({ 'media.id': 'https://cdn.example.com/ep2.mp4', 'media.length': 90 });
  });

  it('ends a session that never showed a frame at its own start playhead on a new source', async () => {
    const { play, pause, fire, media } = createPlayer();
    play();
    media.time = 5;
    await advance(5000);
    pause();
    media.src = 'https://cdn.example.com/ep2.mp4';
    media.time = 0;
    fire('loadstart');
    media.paused = false;
    fire('play');
    media.src = 'https://cdn.example.com/ep3.mp4';
    media.paused = true;
    fire('loadstart');
    await settle();
    expect(world.api.sequence.slice(-2)).toEqual(['sessionStart@0', 'sessionEnd@0→s2']);
  });

  it("starts the new media's session when play() came right after the new source, before its loadstart", async () => {
    const { play, fire, media } = createPlayer();
    play();
    await playFor(media, 4000);
    // player.src(next); player.play(): the play event comes for the old media, then loadstart.
    media.src = 'https://cdn.example.com/ep2.mp4';
    media.time = 0;
    media.duration = NaN;
    fire('play');
    fire('loadstart');
    media.duration = 90;
    fire('durationchange', 'playing');
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1', 'sessionEnd@3.999→s1', 'sessionStart@0', 'play@0→s2']);
    expect(world.api.bodies[3].params).toMatchObject({ 'media.id': 'https://cdn.example.com/ep2.mp4', 'media.length': 90 });
  });

  it('does not end the session when the same source loads again', async () => {
    const { play, fire } = createPlayer();
    play();
    fire('loadstart');
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1']);
  });

  it('ends an idle session before 30 minutes and resumes it when playback goes on', async () => {
    const { play, pause, media } = createPlayer();
    play();
    await playFor(media, 7000);
    pause();
    await advance(1790000);
    expect(world.api.sequence.slice(-2)).toEqual(['ping@7→s1', 'sessionEnd@7→s1']);
    const count = world.api.requests.length;
    await advance(60000);
    expect(world.api.requests).toHaveLength(count);
    play();
    await settle();
    expect(world.api.sequence.slice(count)).toEqual(['sessionStart@7', 'play@7→s2']);
    expect(world.api.bodies[count].params).toEqual({ ...DERIVED, ...PARAMS, 'media.resume': true });
    expectAllValid(world.api);
  });

  it('counts buffering and seeking as idle too, but not a pause that playback ended in time', async () => {
    // A short idleTimeout keeps the number of pings (and the test's time) small on any machine.
    const { play, pause, fire, media } = createPlayer({ ...OPTIONS, idleTimeout: 60 });
    play();
    pause();
    await advance(50000);
    play();
    for (let i = 0; i < 10; i++) await playFor(media, 10000);
    fire('waiting');
    await advance(59000);
    expect(world.api.sequence.filter((s) => s.startsWith('session'))).toEqual(['sessionStart@0']);
    await advance(1000);
    expect(world.api.sequence.filter((s) => s.startsWith('session'))).toEqual(['sessionStart@0', 'sessionEnd@100→s1']);
  });
});

describe('live content', () => {
  it('sends live, length 86400 and the second of the day as playhead on every event', async () => {
    vi.setSystemTime(T0 + 43200000); // 12:00 UTC
    const { play, pause, media } = createPlayer(OPTIONS, { duration: Infinity, time: 1234 });
    play();
    await playFor(media, 10000);
    pause();
    await advance(5000);
    play();
    await settle();
    expect(world.api.bodies[0].params).toMatchObject({ 'media.contentType': 'live', 'media.length': 86400 });
    expect(world.api.sequence).toEqual(['sessionStart@43200', 'play@43200→s1', 'ping@43210→s1', 'pauseStart@43210→s1', 'play@43215→s1']);
    expectAllValid(world.api);
  });
});

describe('session start', () => {
  it('waits for the duration with preload none, keeping the ts and playhead of play', async () => {
    const { play, fire, media } = createPlayer(OPTIONS, { duration: NaN });
    media.paused = false;
    fire('play');
    await advance(3000);
    expect(world.api.requests).toHaveLength(0);
    media.duration = 45;
    fire('loadedmetadata');
    await advance(500);
    media.time = 0.5;
    fire('playing');
    await settle();
    expect(world.api.bodies.map((b) => [b.eventType, b.playerTime.ts, b.playerTime.playhead])).toEqual([
      ['sessionStart', T0, 0],
      ['play', T0 + 3500, 0.5]
    ]);
    expect(world.api.bodies[0].params!['media.length']).toBe(45);
    void play;
  });

  it('sends sessionStart with length 86400 when the first frame shows and the duration is still unknown', async () => {
    const { play } = createPlayer(OPTIONS, { duration: NaN });
    play();
    await settle();
    expect(world.api.bodies[0].params).toMatchObject({ 'media.length': 86400, 'media.contentType': 'vod' });
  });

  it('sends nothing when the viewer leaves before anything played or the duration came', async () => {
    const { fire, media, player } = createPlayer(OPTIONS, { duration: NaN });
    const ends: unknown[] = [];
    player.on('mediacollection:sessionend', () => ends.push(1));
    media.paused = false;
    fire('play');
    await advance(20000);
    player.mediaCollection().end();
    await advance(20000);
    expect(world.api.requests).toHaveLength(0);
    expect(ends).toHaveLength(0);
  });

  it('reports an error that happens before the duration is known, in a session of unknown length', async () => {
    const { fire, media, player } = createPlayer(OPTIONS, { duration: NaN });
    media.paused = false;
    fire('play');
    player.error({ code: 4, message: 'no source' } as never);
    await advance(ERROR_RECOVERY);
    takeLogs('error');
    expect(world.api.sequence.filter((s) => !s.startsWith('ping'))).toEqual(['sessionStart@0', 'error@0→s1', 'sessionEnd@0→s1']);
    expect(world.api.bodies[0].params!['media.length']).toBe(86400);
  });

  it('derives media.id, media.name and custom metadata from player.mediainfo', async () => {
    const { play, player } = createPlayer({ ...OPTIONS, customMetadata: { 'acme.tier': 'gold' } });
    Object.assign(player, {
      mediainfo: { id: 6001, name: 'Pilot', custom_fields: { show_code: 'S1', 'acme.tier': 'free' } }
    });
    play();
    await settle();
    expect(world.api.bodies[0]).toEqual({
      eventType: 'sessionStart',
      playerTime: { playhead: 0, ts: T0 },
      params: { ...DERIVED, ...PARAMS, 'media.id': '6001', 'media.name': 'Pilot' },
      customMetadata: { show_code: 'S1', 'acme.tier': 'gold' }
    });
  });

  it('cleans the custom fields of mediainfo with one warning, and ignores them when they are not an object', async () => {
    const first = createPlayer(OPTIONS);
    Object.assign(first.player, { mediainfo: { custom_fields: { 'bad-key': 'x', ok: 1 } } });
    first.play();
    await settle();
    expect(world.api.bodies[0].customMetadata).toEqual({ ok: '1' });
    expect(takeLogs('warn')).toEqual([expect.stringMatching(/mediainfo\.custom_fields: invalid keys or values dropped: bad-key$/)]);
    const second = createPlayer(OPTIONS);
    Object.assign(second.player, { mediainfo: { custom_fields: 0 } });
    second.play();
    await settle();
    expect(world.api.bodies.filter((b) => b.eventType === 'sessionStart')[1]).not.toHaveProperty('customMetadata');
  });

  it('marks audio-only media as streamType audio', async () => {
    const { play } = createPlayer(OPTIONS, { type: 'audio/mp4', src: 'https://cdn.example.com/a.m4a' });
    play();
    await settle();
    expect(world.api.bodies[0].params!['media.streamType']).toBe('audio');
  });

  it('lets the metadata option add params that win over the options', async () => {
    const { play } = createPlayer({
      ...OPTIONS,
      params: { ...PARAMS, 'media.name': 'static' },
      metadata: () => ({ params: { 'media.name': 'Episode 2', 'media.season': 2 }, customMetadata: { 'acme.x': 1 } })
    });
    play();
    await settle();
    expect(world.api.bodies[0].params).toMatchObject({ 'media.name': 'Episode 2', 'media.season': '2' });
    expect(world.api.bodies[0].customMetadata).toEqual({ 'acme.x': '1' });
    expectAllValid(world.api);
  });

  it('starts no session, with one error, when the metadata option throws', async () => {
    const { play, player } = createPlayer({
      ...OPTIONS,
      metadata: () => {
        throw new Error('cms down');
      }
    });
    const errors: unknown[] = [];
    player.on('mediacollection:error', (_event: unknown, data: unknown) => errors.push(data));
    play();
    await advance(30000);
    expect(world.api.requests).toHaveLength(0);
    expect(takeLogs('error')).toEqual([expect.stringContaining('metadata() threw: Error: cms down')]);
    expect(errors).toEqual([{ code: 'invalid-options', message: expect.stringContaining('cms down') }]);
  });

  it('checks the publisher keys after the metadata option, when there is one', async () => {
    const { play } = createPlayer({
      endpoint: OPTIONS.endpoint,
      metadata: () => ({ params: PARAMS })
    });
    play();
    await settle();
    expect(world.api.bodies[0].params).toEqual({ ...DERIVED, ...PARAMS });
  });
});

describe('start() and end()', () => {
  it('starts only on start() with autoStart false, and sends the current state', async () => {
    const { play, player } = createPlayer({ ...OPTIONS, autoStart: false });
    play();
    await advance(20000);
    expect(world.api.requests).toHaveLength(0);
    player.mediaCollection().start();
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1']);
  });

  it('ends a session whose first frame never comes after idleTimeout, sending nothing for it', async () => {
    const { fire, media } = createPlayer({ ...OPTIONS, idleTimeout: 60 }, { duration: NaN });
    media.paused = false;
    fire('play', 'waiting');
    await advance(60000);
    expect(world.api.requests).toHaveLength(0);
    await advance(3600000);
    expect(world.api.requests).toHaveLength(0);
  });

  it('ends an idle session started after the end', async () => {
    const { play, fire, media, player } = createPlayer({ ...OPTIONS, idleTimeout: 60 });
    play();
    media.time = 60;
    media.ended = true;
    media.paused = true;
    fire('pause', 'ended');
    player.mediaCollection().start();
    await advance(60000);
    await settle();
    expect(world.api.sequence.filter((s) => s.startsWith('session'))).toEqual([
      'sessionStart@0',
      'sessionComplete@60→s1',
      'sessionStart@60',
      'sessionEnd@60→s2'
    ]);
  });

  it('does not resume a session that never was, after idling without one', async () => {
    const { play, pause, player, media } = createPlayer({ ...OPTIONS, autoStart: false });
    play();
    await playFor(media, 1000);
    pause();
    await advance(1800000);
    player.mediaCollection().start();
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@1', 'pauseStart@1→s1']);
    expect(world.api.bodies[0].params).not.toHaveProperty('media.resume');
  });

  it('end() sends sessionEnd and tracks nothing until start()', async () => {
    const { play, pause, player, media } = createPlayer();
    play();
    await playFor(media, 2000);
    player.mediaCollection().end();
    pause();
    play();
    await advance(30000);
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1', 'sessionEnd@2→s1']);
    player.mediaCollection().start();
    await settle();
    expect(world.api.sequence.slice(3)).toEqual(['sessionStart@2', 'play@2→s2']);
  });
});

describe('Playback with stubs', () => {
  it('ends and resumes a session before 24 hours', () => {
    // A day of video.js's own progress timers would take minutes: a stub player and a
    // delivery that only records keep this fast.
    const listeners: Record<string, () => void> = {};
    // A player of any kind: the tracker reads it only through MediaPlayer.
    const player: MediaPlayer = {
      on: (types, listener) => types.split(' ').forEach((type) => (listeners[type] = listener as () => void)),
      later: (fn, ms) => setTimeout(fn, ms) as unknown as number,
      every: (fn, ms) => setInterval(fn, ms) as unknown as number,
      cancel: (id) => {
        clearTimeout(id);
        clearInterval(id);
      },
      position: () => 12,
      duration: () => Infinity,
      paused: () => false,
      atEnd: () => false,
      src: () => SRC,
      errorId: () => '',
      facts: () => ({ src: SRC, playerName: 'video.js', duration: Infinity, audio: false, mediainfo: {}, source: { src: SRC } }),
      chapters: () => [],
      onChapters: () => undefined,
      addChapters: () => undefined,
      states: () => ({ fullscreen: false, mute: false, closedCaptioning: false, pictureInPicture: false, inFocus: false }),
      onStates: () => undefined,
      bitrate: () => undefined,
      frames: () => undefined,
      onRendition: () => undefined,
      onAds: () => undefined
    };
    const pushed: string[] = [];
    const delivery = {
      push: (_t: unknown, e: TrackedEvent) => pushed.push(e.type),
      pushWaiting: (_t: unknown, e: TrackedEvent) => pushed.push(e.type),
      ready: () => undefined,
      discard: () => undefined
    } as unknown as Delivery;
    const ends: string[] = [];
    const hooks = { ended: (_s: unknown, reason: string) => ends.push(reason), problem: vi.fn(), warn: vi.fn() };
    const playback = createPlayback({
      ...hooks,
      player,
      config: checkOptions(OPTIONS).config,
      delivery,
      listen: () => undefined,
      metadata: () => ({ result: undefined })
    });
    listeners.play();
    listeners.playing();
    const first = playback.session;
    vi.advanceTimersByTime(MAX_SESSION - 1);
    expect(pushed.filter((type) => type !== 'ping')).toEqual(['sessionStart', 'play']);
    expect(pushed).toHaveLength(2 + Math.floor((MAX_SESSION - 1) / 10000));
    vi.advanceTimersByTime(1);
    expect(pushed.filter((type) => type !== 'ping')).toEqual(['sessionStart', 'play', 'sessionEnd', 'sessionStart', 'play']);
    expect(ends).toEqual(['restart']);
    expect(playback.session).not.toBe(first);
    expect(playback.session!.resume).toBe(true);
    expect(hooks.problem).not.toHaveBeenCalled();
    playback.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });
});
