import videojs from 'video.js';
import type Player from 'video.js/dist/types/player';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { validate } from '../../demo/emulator/validate.mjs';
import type { RequestBody } from '../../src/transport/media-collection';
import '../../src/plugin';
import { ACCOUNT, T0 } from './fixtures';

export const ENDPOINT = 'https://example.hb-api.omtrdc.net';
export { T0 };
export const PARAMS = { ...ACCOUNT, 'visitor.marketingCloudUserId': 'ecid-1', 'media.channel': 'web' };
export const OPTIONS = { endpoint: ENDPOINT, params: PARAMS };
export const SRC = 'https://cdn.example.com/ep1.mp4';

/** What the plugin derives for the default fake media, before `media.resume`. */
export const DERIVED = {
  'media.id': SRC,
  'media.length': 60,
  'media.contentType': 'vod',
  'media.streamType': 'video',
  'media.playerName': 'video.js',
  'media.libraryVersion': `videojs-media-collection-${__VERSION__}`,
  'analytics.enableSSL': true
};

/** One request the plugin made. */
export interface Sent {
  url: string;
  body: RequestBody;
  init: RequestInit;
}

type Answer = Response | 'network' | Promise<Response | 'network'>;

/** A `201` with the `Location` Adobe sends. */
export const created = (sid: string) => new Response(null, { status: 201, headers: { Location: `/api/v1/sessions/${sid}` } });

export const status = (code: number, body?: string, headers?: Record<string, string>) =>
  new Response(body ?? null, { status: code, headers });

/** A promise the test resolves when it wants: a slow response. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * A stand-in for the API behind a stubbed `fetch`: it records every request, checks its body
 * against the emulator's schemas, and answers as Adobe does (`201` with ids s1, s2, … then
 * `204`) unless the test queued other answers.
 */
export class FakeApi {
  requests: Sent[] = [];
  invalid: string[] = [];
  private answers: Array<Answer | ((sent: Sent) => Answer)> = [];
  private sessions = 0;

  constructor() {
    // Request timeouts are native, not fake timers: tests that want one make it themselves.
    vi.spyOn(AbortSignal, 'timeout').mockImplementation(() => new AbortController().signal);
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        const sent = { url, body: JSON.parse(String(init.body)), init };
        this.requests.push(sent);
        const endpoint = url === `${ENDPOINT}/api/v1/sessions` ? 'sessions' : 'events';
        this.invalid.push(...validate(sent.body, endpoint));
        const next = this.answers.shift();
        const answer = await (typeof next === 'function' ? next(sent) : next);
        if (answer === 'network') throw new TypeError('Failed to fetch');
        if (answer) return answer;
        return endpoint === 'sessions' ? created(`s${++this.sessions}`) : status(204);
      })
    );
  }

  /** Answers the next requests with these, in order; after them the API answers normally. */
  answer(...answers: Array<Answer | ((sent: Sent) => Answer)>): void {
    this.answers.push(...answers);
  }

  /** The requests as `eventType@playhead` (and `→sid` for events), for sequence assertions. */
  get sequence(): string[] {
    return this.requests.map(({ url, body }) => {
      const sid = /sessions\/([^/]+)\/events$/.exec(url)?.[1];
      return `${body.eventType}@${body.playerTime.playhead}${sid ? `→${sid}` : ''}`;
    });
  }

  get bodies(): RequestBody[] {
    return this.requests.map((request) => request.body);
  }
}

/** The parts of the media a test controls; the player reads them through its usual methods. */
export interface FakeMedia {
  time: number;
  duration: number;
  paused: boolean;
  ended: boolean;
  src: string;
  type: string;
}

/** Lets every pending promise (fetch answers and what follows them) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 200; i++) await Promise.resolve();
}

/** Moves the fake clock and runs the timers and promises that fall due. */
export const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

const players: Player[] = [];

/**
 * Makes a player read its media facts from `media` through its usual methods (happy-dom cannot
 * play media); `source` is what `currentSource()` returns.
 */
export function stubMedia(player: Player, media: FakeMedia, source: () => unknown = () => ({ src: media.src, type: media.type })): void {
  Object.assign(player, {
    currentTime: (t?: number) => (t === undefined ? media.time : (media.time = t)),
    duration: (d?: number) => (d === undefined ? media.duration : undefined),
    paused: () => media.paused,
    ended: () => media.ended,
    currentSrc: () => media.src,
    currentType: () => media.type,
    currentSource: source
  });
}

/**
 * A video.js player on a `<video>` under happy-dom (which cannot play media), with the media
 * facts faked and, unless `options` is null, the plugin set up.
 */
export function createPlayer(options: unknown = OPTIONS, media: Partial<FakeMedia> = {}) {
  // Player states have tests of their own: elsewhere the page has no focus, so none is on.
  if (!vi.isMockFunction(document.hasFocus)) vi.spyOn(document, 'hasFocus').mockReturnValue(false);
  const video = document.createElement('video');
  document.body.appendChild(video);
  const player = videojs(video);
  players.push(player);
  const m: FakeMedia = { time: 0, duration: 60, paused: true, ended: false, src: SRC, type: 'video/mp4', ...media };
  stubMedia(player, m);
  const fire = (...types: string[]) => types.forEach((type) => player.tech(true).trigger(type));
  const tracker = options === null ? null : player.mediaCollection(options as never);
  return {
    player,
    media: m,
    tracker: tracker!,
    fire,
    /** The viewer presses play and the first frame shows. */
    play() {
      m.paused = false;
      fire('play', 'playing');
    },
    /** The viewer pauses. */
    pause() {
      m.paused = true;
      fire('pause');
    },
    /** A seek to `time`, finished. */
    seek(time: number) {
      fire('seeking');
      m.time = time;
      fire('seeked');
    }
  };
}

/** Starts every test of the file on the fake clock at T0 with a fresh fake API, `world.api`. */
export function useFakeWorld(): { api: FakeApi } {
  const world = {} as { api: FakeApi };
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
    world.api = new FakeApi();
  });
  return world;
}

afterEach(() => {
  while (players.length) {
    const player = players.pop()!;
    if (!player.isDisposed()) player.dispose();
  }
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** Asserts that every request the fake API saw was valid per the schemas. */
export function expectAllValid(api: FakeApi): void {
  expect(api.invalid, 'requests that fail the API schemas').toEqual([]);
}
