// trackMedia, the entry without video.js: a plain <video> and a Video.js 10 player element
// under happy-dom, the media facts faked (happy-dom cannot play media), the API a fake.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DETACHED, trackMedia, type MediaTracker } from '../../src/element';
import { takeLogs } from './setup';
import { ACCOUNT, T0 } from './fixtures';
import { advance, expectAllValid, settle, useFakeWorld } from './helpers';

const world = useFakeWorld();
const OPTIONS = { endpoint: 'https://example.hb-api.omtrdc.net', params: { ...ACCOUNT, 'media.channel': 'web' } };
const trackers: MediaTracker[] = [];

// Player states have tests of their own: here the page has no focus, so none is on.
beforeEach(() => {
  vi.spyOn(document, 'hasFocus').mockReturnValue(false);
});

afterEach(() => {
  while (trackers.length) trackers.pop()!.dispose();
  document.body.replaceChildren();
});

/** A <video> in the page whose media facts the test sets, and the tracker's events on it. */
function video(src = 'https://cdn.example.com/a.mp4', duration = 60) {
  const element = document.createElement('video');
  const facts = { currentTime: 0, duration, paused: true, ended: false, currentSrc: src };
  for (const name of Object.keys(facts) as Array<keyof typeof facts>) {
    Object.defineProperty(element, name, { get: () => facts[name], configurable: true });
  }
  document.body.append(element);
  const events: Array<[string, unknown]> = [];
  for (const type of ['sessionstart', 'sessionend', 'error']) {
    element.addEventListener(`mediacollection:${type}`, (event) => events.push([type, (event as CustomEvent).detail]));
  }
  const fire = (...types: string[]) => types.forEach((type) => element.dispatchEvent(new Event(type)));
  return { element, facts, events, fire };
}

const track = (target: HTMLElement, options: object = OPTIONS) => {
  const tracker = trackMedia(target, options as never);
  trackers.push(tracker);
  return tracker;
};

describe('trackMedia on a plain <video>', () => {
  it('tracks play, pings, pause and completion, and tells the page with CustomEvents', async () => {
    const { element, facts, events, fire } = video();
    const tracker = track(element);
    facts.paused = false;
    fire('play', 'playing');
    await settle();
    expect(tracker.sessionId).toBe('s1');
    facts.currentTime = 10;
    await advance(10000);
    facts.paused = true;
    fire('pause');
    facts.paused = false;
    fire('play', 'playing');
    facts.currentTime = 60;
    facts.ended = true;
    fire('pause', 'ended');
    await settle();
    expect(world.api.sequence).toEqual([
      'sessionStart@0',
      'play@0→s1',
      'ping@10→s1',
      'pauseStart@10→s1',
      'play@10→s1',
      'sessionComplete@60→s1'
    ]);
    expect(world.api.bodies[0].params).toMatchObject({
      'media.id': 'https://cdn.example.com/a.mp4',
      'media.length': 60,
      'media.playerName': 'HTML5',
      'media.streamType': 'video'
    });
    expect(world.api.bodies[0].playerTime.ts).toBe(T0);
    expect(events).toEqual([
      ['sessionstart', { sessionId: 's1' }],
      ['sessionend', { sessionId: 's1', reason: 'complete' }]
    ]);
    expectAllValid(world.api);
  });

  it('ends the session at dispose and listens to nothing more', async () => {
    const { element, facts, events, fire } = video();
    const tracker = track(element);
    facts.paused = false;
    fire('play', 'playing');
    await settle();
    tracker.dispose();
    await settle();
    fire('pause', 'play', 'playing');
    await advance(20000);
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1', 'sessionEnd@0→s1']);
    expect(events.at(-1)).toEqual(['sessionend', { sessionId: 's1', reason: 'dispose' }]);
  });

  it('ends the session when the element leaves the page for more than a moment, not when it is moved', async () => {
    const { element, facts, events, fire } = video();
    track(element);
    facts.paused = false;
    fire('play', 'playing');
    await settle();
    // Moved: out and back in at once.
    element.remove();
    document.body.append(element);
    await advance(DETACHED * 2);
    expect(events.map(([type]) => type)).toEqual(['sessionstart']);
    element.remove();
    await advance(DETACHED);
    expect(events.at(-1)).toEqual(['sessionend', { sessionId: 's1', reason: 'dispose' }]);
  });

  it('reports invalid options once, logged and as an error event after the call', async () => {
    const { element, events } = video();
    track(element, { params: { 'media.channel': 'web' }, edge: {} });
    expect(events).toEqual([]);
    await advance(0);
    const message = 'invalid options, nothing is sent: edge must be { datastreamId, endpoint? }, got {}';
    expect(events).toEqual([['error', { code: 'invalid-options', message }]]);
    expect(takeLogs('error')).toEqual([`mediaCollection: ${message}`]);
  });
});

describe('trackMedia on a Video.js 10 player element', () => {
  /** A stand-in of `<video-player>`: its store's target is the current media; subscribers are told of changes. */
  function videoPlayer(media: HTMLElement) {
    const element = document.createElement('video-player');
    const subscribers = new Set<() => void>();
    const store = {
      target: { media } as { media: HTMLElement | null },
      destroyed: false,
      subscribe: (callback: () => void) => (subscribers.add(callback), () => subscribers.delete(callback))
    };
    Object.assign(element, { store });
    element.append(media);
    document.body.append(element);
    return { element, store, tell: () => subscribers.forEach((callback) => callback()) };
  }

  it('follows a new media as a new item: the session ends (source) and the next play starts one with its length', async () => {
    const first = video('https://cdn.example.com/a.mp4', 60);
    const { element, store, tell } = videoPlayer(first.element);
    const events: unknown[] = [];
    element.addEventListener('mediacollection:sessionend', (event) => events.push((event as CustomEvent).detail));
    track(element);
    first.facts.paused = false;
    first.fire('play', 'playing');
    await settle();
    const second = video('https://cdn.example.com/b.mp4', 30);
    element.replaceChildren(second.element);
    store.target = { media: second.element };
    tell();
    await settle();
    second.facts.paused = false;
    second.fire('play', 'playing');
    // The first media's events say nothing any more.
    first.fire('pause');
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1', 'sessionEnd@0→s1', 'sessionStart@0', 'play@0→s2']);
    expect(world.api.bodies[3].params).toMatchObject({
      'media.id': 'https://cdn.example.com/b.mp4',
      'media.length': 30,
      'media.playerName': 'Video.js 10'
    });
    expect(events).toEqual([{ sessionId: 's1', reason: 'source' }]);
  });

  it('ends the session when the player is destroyed', async () => {
    const media = video();
    const { store, tell } = videoPlayer(media.element);
    const tracker = track(media.element.parentElement!);
    media.facts.paused = false;
    media.fire('play', 'playing');
    await settle();
    store.destroyed = true;
    tell();
    await settle();
    expect(world.api.sequence.at(-1)).toBe('sessionEnd@0→s1');
    expect(tracker.sessionId).toBeNull();
  });

  it('keeps the consent given for the media that comes later', async () => {
    const first = video();
    const { element, store, tell } = videoPlayer(first.element);
    const tracker = track(element, { ...OPTIONS, consentPending: true });
    tracker.setConsent('granted');
    const second = video('https://cdn.example.com/b.mp4');
    store.target = { media: second.element };
    tell();
    second.facts.paused = false;
    second.fire('play', 'playing');
    await settle();
    expect(world.api.sequence).toEqual(['sessionStart@0', 'play@0→s1']);
  });
});
