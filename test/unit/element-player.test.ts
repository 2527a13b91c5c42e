import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MediaPlayer } from '../../src/player/player';
import { elementPlayer } from '../../src/player/element';

/** A Video.js 10 custom media element: its real `<video>` in its shadow root, its engine, its authored `src`. */
class FakeCustomMedia extends HTMLElement {
  readonly inner: HTMLMediaElement;
  engine: unknown = null;
  src = '';
  streamType = 'unknown';

  constructor() {
    super();
    this.inner = document.createElement(this.localName === 'fake-audio-media' ? 'audio' : 'video');
    this.attachShadow({ mode: 'open' }).append(this.inner);
  }

  get target() {
    return this.inner;
  }

  // What a Video.js 10 custom media forwards from its real element (the ones the tests read).
  get textTracks() {
    return this.inner.textTracks;
  }
}
customElements.define('fake-hls-video', FakeCustomMedia);
customElements.define('fake-audio-media', class extends FakeCustomMedia {});

/** An hls.js instance as far as the adapter reads it. */
class FakeHls {
  url: string | null = null;
  levels: Array<{ bitrate: number; details?: { live?: boolean } }> = [{ bitrate: 2500000 }, { bitrate: 800000 }];
  currentLevel = 0;
  readonly handlers: Record<string, Array<(name: string, data?: unknown) => void>> = {};
  on(name: string, listener: (name: string, data?: unknown) => void) {
    (this.handlers[name] ??= []).push(listener);
  }
  emit(name: string, data?: unknown) {
    for (const listener of this.handlers[name] ?? []) listener(name, data);
  }
}

/** A dash.js 5 player as far as the adapter reads it. */
class FakeDash {
  source: unknown = 'https://cdn.example.com/dash/manifest.mpd';
  bandwidth = 1200000;
  dynamic = false;
  readonly handlers: Record<string, Array<() => void>> = {};
  getSource() {
    return this.source;
  }
  isDynamic() {
    return this.dynamic;
  }
  getCurrentRepresentationForType(type: string) {
    return type === 'video' ? { bandwidth: this.bandwidth } : null;
  }
  on(name: string, listener: () => void) {
    (this.handlers[name] ??= []).push(listener);
  }
  emit(name: string) {
    for (const listener of this.handlers[name] ?? []) listener();
  }
}

/** A text track list as browsers give it: indexed, with its events (happy-dom's is partial). */
class FakeTrackList extends EventTarget {
  [index: number]: FakeTrack;
  length = 0;
  add(track: FakeTrack) {
    this[this.length++] = track;
    this.dispatchEvent(new Event('addtrack'));
  }
}

/** A text track with cues and `cuechange`. */
class FakeTrack extends EventTarget {
  constructor(
    readonly kind: string,
    public mode: TextTrackMode = 'disabled',
    readonly cues: Array<{ startTime: number; endTime: number; text: string }> = []
  ) {
    super();
  }
}

const stubbed: Array<[object, string]> = [];
/** Gives `object` an own property `name` (a value or a getter), removed after the test. */
const stub = (object: object, name: string, value: unknown, getter = false) => {
  Object.defineProperty(
    object,
    name,
    getter ? { get: value as () => unknown, configurable: true } : { value, configurable: true, writable: true }
  );
  stubbed.push([object, name]);
};

let aborts: AbortController;
/** The adapter over `target`, listening as the tracker does (until the test ends). */
const adapt = (target: HTMLElement, engine?: unknown): MediaPlayer =>
  elementPlayer(
    target,
    (on, types, listener) => {
      for (const type of types.split(' ')) (on as EventTarget).addEventListener(type, listener, { signal: aborts.signal });
    },
    engine === undefined ? undefined : { engine }
  );

/** A `<video>` in the document, with the given media properties. */
const video = (props: Record<string, unknown> = {}) => {
  const element = document.createElement('video');
  for (const [name, value] of Object.entries(props)) stub(element, name, value);
  document.body.append(element);
  return element;
};

/** A Video.js 10 custom media element in the document. */
const custom = (tag = 'fake-hls-video') => {
  const element = document.createElement(tag) as FakeCustomMedia;
  document.body.append(element);
  return element;
};

beforeEach(() => {
  aborts = new AbortController();
});

afterEach(() => {
  aborts.abort();
  for (const [object, name] of stubbed.splice(0)) delete (object as Record<string, unknown>)[name];
  document.body.replaceChildren();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the media element player', () => {
  it('reads the playhead as the element reports it, never negative or NaN', () => {
    const element = video();
    const player = adapt(element);
    for (const [value, read] of [
      [12.5, 12.5],
      [-1, 0],
      [NaN, 0],
      [Infinity, 0]
    ]) {
      stub(element, 'currentTime', value);
      expect(player.position()).toBe(read);
    }
  });

  it('reads an unknown duration as NaN and keeps Infinity for live', () => {
    const element = video();
    const player = adapt(element);
    for (const [value, read] of [
      [0, NaN],
      [NaN, NaN],
      [Infinity, Infinity],
      [42.5, 42.5]
    ]) {
      stub(element, 'duration', value);
      expect(player.duration()).toBe(read);
    }
  });

  it('takes live from the custom element or the engine when the duration is finite', () => {
    const media = custom();
    stub(media, 'duration', 7200);
    expect(adapt(media).duration()).toBe(7200);
    media.streamType = 'live';
    expect(adapt(media).duration()).toBe(Infinity);

    const hls = new FakeHls();
    const element = video({ duration: 30 });
    expect(adapt(element, hls).duration()).toBe(30);
    hls.levels[0].details = { live: true };
    expect(adapt(element, hls).duration()).toBe(Infinity);

    const dash = new FakeDash();
    dash.dynamic = true;
    expect(adapt(element, dash).duration()).toBe(Infinity);
  });

  it('reads paused and the end', () => {
    const element = video({ paused: true, ended: false });
    const player = adapt(element);
    expect([player.paused(), player.atEnd()]).toEqual([true, false]);
    stub(element, 'paused', false);
    stub(element, 'ended', true);
    expect([player.paused(), player.atEnd()]).toEqual([false, true]);
  });

  it('listens on the custom element, where its media events and engine errors come', () => {
    const media = custom();
    const heard: string[] = [];
    adapt(media).on('play error', (event) => heard.push(event.type));
    media.dispatchEvent(new Event('play'));
    media.inner.dispatchEvent(new Event('pause'));
    media.dispatchEvent(new Event('error'));
    expect(heard).toEqual(['play', 'error']);
  });

  describe('source', () => {
    it('is the element’s current source, else its src, else empty', () => {
      const element = video();
      const player = adapt(element);
      expect(player.src()).toBe('');
      element.setAttribute('src', 'https://cdn.example.com/a.mp4');
      expect(player.src()).toBe('https://cdn.example.com/a.mp4');
      stub(element, 'currentSrc', 'https://cdn.example.com/b.mp4');
      expect(player.src()).toBe('https://cdn.example.com/b.mp4');
    });

    it('is the authored source on Video.js 10 media, never the blob: URL', () => {
      const media = custom();
      const hls = new FakeHls();
      hls.url = 'https://cdn.example.com/engine.m3u8';
      media.engine = hls;
      stub(media, 'currentSrc', 'blob:https://example.com/1');
      const player = adapt(media);
      expect(player.src()).toBe('https://cdn.example.com/engine.m3u8');
      media.src = 'https://cdn.example.com/master.m3u8';
      expect(player.src()).toBe('https://cdn.example.com/master.m3u8');
    });

    it('is the engine’s URL on a plain element played by hls.js or dash.js', () => {
      const element = video({ currentSrc: 'blob:https://example.com/2' });
      element.setAttribute('src', 'blob:https://example.com/2');
      const hls = new FakeHls();
      hls.url = 'https://cdn.example.com/master.m3u8';
      expect(adapt(element, hls).src()).toBe('https://cdn.example.com/master.m3u8');
      expect(adapt(element, new FakeDash()).src()).toBe('https://cdn.example.com/dash/manifest.mpd');
    });

    it('keeps the last authored source while only a blob: URL is there, and is empty without one', () => {
      const element = video({ currentSrc: 'blob:https://example.com/3' });
      const hls = new FakeHls();
      const player = adapt(element, hls);
      expect(player.src()).toBe('');
      hls.url = 'https://cdn.example.com/master.m3u8';
      expect(player.src()).toBe('https://cdn.example.com/master.m3u8');
      // An engine rebuild: the new instance has no URL yet, the element a new blob: URL.
      hls.url = null;
      stub(element, 'currentSrc', 'blob:https://example.com/4');
      expect(player.src()).toBe('https://cdn.example.com/master.m3u8');
      // A cleared source is empty.
      stub(element, 'currentSrc', '');
      expect(player.src()).toBe('');
    });
  });

  describe('errors', () => {
    it('are the media error’s code, but not an aborted load or the error of a cleared source', () => {
      const element = video({ currentSrc: 'https://cdn.example.com/a.mp4' });
      element.setAttribute('src', 'https://cdn.example.com/a.mp4');
      const player = adapt(element);
      expect(player.errorId()).toBe('');
      stub(element, 'error', { code: 3 });
      expect(player.errorId()).toBe('3');
      stub(element, 'error', { code: 4 });
      expect(player.errorId()).toBe('4');
      stub(element, 'error', { code: 1 });
      expect(player.errorId()).toBe('');
      stub(element, 'error', { code: 4 });
      element.setAttribute('src', '');
      stub(element, 'currentSrc', '');
      expect(player.errorId()).toBe('');
    });

    it('take the ErrorEvent a Video.js 10 media dispatches, until the next load or playing', () => {
      const media = custom();
      media.src = 'https://cdn.example.com/master.m3u8';
      stub(media, 'currentSrc', 'blob:https://example.com/5');
      const player = adapt(media);
      const seen: string[] = [];
      player.on('error', () => seen.push(player.errorId()));
      media.dispatchEvent(new ErrorEvent('error', { error: { code: 2, message: 'manifestLoadError', fatal: true } }));
      expect(seen).toEqual(['2']);
      media.dispatchEvent(new Event('loadstart'));
      expect(player.errorId()).toBe('');
      media.dispatchEvent(new ErrorEvent('error', { error: { code: 3, message: 'bufferAppendError', fatal: true } }));
      expect(player.errorId()).toBe('3');
      media.dispatchEvent(new Event('playing'));
      expect(player.errorId()).toBe('');
      media.dispatchEvent(new ErrorEvent('error', { error: { code: 2, message: 'fragLoadError', fatal: false } }));
      expect(player.errorId()).toBe('');
    });

    it('bring hls.js’s fatal errors on a plain element to the error listeners, dispatching nothing', () => {
      const element = video();
      const hls = new FakeHls();
      const player = adapt(element, hls);
      const seen: string[] = [];
      player.on('error', (event) => seen.push(`${event.type}:${player.errorId()}`));
      const onElement = vi.fn();
      element.addEventListener('error', onElement);
      hls.emit('hlsError', { fatal: false, details: 'fragLoadError' });
      expect(seen).toEqual([]);
      hls.emit('hlsError', { fatal: true, details: 'manifestLoadError' });
      expect(seen).toEqual(['error:hls:manifestLoadError']);
      expect(onElement).not.toHaveBeenCalled();
      element.dispatchEvent(new Event('loadstart'));
      expect(player.errorId()).toBe('');
    });

    it('leave hls.js’s errors to a Video.js 10 media, which dispatches them itself', () => {
      const media = custom();
      const hls = new FakeHls();
      media.engine = hls;
      const listener = vi.fn();
      adapt(media).on('error', listener);
      hls.emit('hlsError', { fatal: true, details: 'manifestLoadError' });
      expect(listener).not.toHaveBeenCalled();
    });

    it('end with the tracker, engine errors too', () => {
      const hls = new FakeHls();
      const listener = vi.fn();
      adapt(video(), hls).on('error', listener);
      aborts.abort();
      hls.emit('hlsError', { fatal: true, details: 'manifestLoadError' });
      expect(listener).not.toHaveBeenCalled();
    });
  });

  it('gathers the media facts, audio from the element, the title as the source’s', () => {
    const element = video({ currentSrc: 'https://cdn.example.com/a.mp4', duration: 60 });
    element.setAttribute('title', 'Episode 1');
    expect(adapt(element).facts()).toEqual({
      src: 'https://cdn.example.com/a.mp4',
      playerName: 'HTML5',
      duration: 60,
      audio: false,
      mediainfo: {},
      source: { src: 'https://cdn.example.com/a.mp4', title: 'Episode 1' }
    });
    const audio = document.createElement('audio');
    document.body.append(audio);
    expect(adapt(audio).facts()).toMatchObject({ audio: true, source: { title: undefined } });
    expect(adapt(custom('fake-audio-media')).facts().audio).toBe(true);
    expect(adapt(custom()).facts().audio).toBe(false);
    const player = document.createElement('audio-player');
    const media = document.createElement('fake-hls-video');
    player.append(media);
    document.body.append(player);
    expect(adapt(media).facts().audio).toBe(true);
  });

  describe('chapters', () => {
    it('are the chapters track’s cues, loaded by making a disabled track hidden', () => {
      const element = video();
      const tracks = new FakeTrackList();
      stub(element, 'textTracks', tracks);
      const player = adapt(element);
      expect(player.chapters()).toEqual([]);
      const cues = [
        { startTime: 0, endTime: 10, text: 'One' },
        { startTime: 10, endTime: 20, text: 'Two' }
      ];
      const chapters = new FakeTrack('chapters', 'disabled', cues);
      tracks.add(new FakeTrack('subtitles'));
      tracks.add(chapters);
      expect(player.chapters()).toEqual(cues);
      expect(chapters.mode).toBe('hidden');
    });

    it('are followed as the track comes and its cue changes, on the real element of Video.js 10 media', () => {
      const media = custom();
      const tracks = new FakeTrackList();
      stub(media.inner, 'textTracks', tracks);
      const player = adapt(media);
      const listener = vi.fn();
      player.onChapters(listener);
      expect(listener).not.toHaveBeenCalled();
      const chapters = new FakeTrack('chapters');
      tracks.add(chapters);
      expect(listener).toHaveBeenCalledTimes(1);
      expect(chapters.mode).toBe('hidden');
      chapters.dispatchEvent(new Event('cuechange'));
      expect(listener).toHaveBeenCalledTimes(2);
      media.dispatchEvent(new Event('loadedmetadata'));
      expect(listener).toHaveBeenCalledTimes(2);
    });

    it('are added to the real element, which has addTextTrack', () => {
      const media = custom();
      const track = { addCue: vi.fn() };
      const add = vi.spyOn(media.inner, 'addTextTrack').mockReturnValue(track as unknown as TextTrack);
      adapt(media).addChapters([
        { start: 0, end: 5, name: 'Intro' },
        { start: 5, end: 9 }
      ]);
      expect(add).toHaveBeenCalledWith('chapters', 'Chapters');
      expect(track.addCue.mock.calls.map(([cue]) => [cue.startTime, cue.endTime, cue.text])).toEqual([
        [0, 5, 'Intro'],
        [5, 9, '']
      ]);
    });
  });

  describe('states', () => {
    it('tells fullscreen through the shadow root of a skin, and not for another element', () => {
      const skin = document.createElement('div');
      const container = document.createElement('div');
      skin.attachShadow({ mode: 'open' }).append(container);
      const media = custom();
      skin.append(media);
      container.append(document.createElement('slot'));
      document.body.append(skin);
      const player = adapt(media);
      expect(player.states().fullscreen).toBe(false);
      // The container in the skin's shadow root is fullscreen: the document reports the skin.
      stub(document, 'fullscreenElement', skin);
      expect(player.states().fullscreen).toBe(true);
      stub(document, 'fullscreenElement', media);
      expect(player.states().fullscreen).toBe(true);
      stub(document, 'fullscreenElement', document.createElement('div'));
      expect(player.states().fullscreen).toBe(false);
      stub(document, 'fullscreenElement', null);
      stub(document, 'webkitFullscreenElement', document.body);
      expect(player.states().fullscreen).toBe(true);
    });

    it('tells fullscreen for a <video> inside a shadow root, whose host is the fullscreen element', () => {
      const host = document.createElement('div');
      const shadow = host.attachShadow({ mode: 'open' });
      const wrapper = document.createElement('div');
      const element = document.createElement('video');
      wrapper.append(element);
      shadow.append(wrapper);
      document.body.append(host);
      stub(document, 'fullscreenElement', host);
      expect(host.contains(element)).toBe(false);
      expect(adapt(element).states().fullscreen).toBe(true);
    });

    it('tells picture-in-picture, mute, captions and focus', () => {
      const media = custom();
      const tracks = new FakeTrackList();
      stub(media.inner, 'textTracks', tracks);
      stub(media, 'muted', false);
      stub(media, 'volume', 1);
      stub(document, 'visibilityState', 'visible');
      const focus = vi.spyOn(document, 'hasFocus').mockReturnValue(true);
      const player = adapt(media);
      expect(player.states()).toEqual({ fullscreen: false, mute: false, closedCaptioning: false, pictureInPicture: false, inFocus: true });
      stub(document, 'pictureInPictureElement', media);
      stub(media, 'volume', 0);
      tracks.add(new FakeTrack('chapters', 'showing'));
      expect(player.states()).toMatchObject({ pictureInPicture: true, mute: true, closedCaptioning: false });
      stub(document, 'pictureInPictureElement', media.inner);
      stub(media, 'volume', 1);
      stub(media, 'muted', true);
      tracks.add(new FakeTrack('captions', 'showing'));
      focus.mockReturnValue(false);
      expect(player.states()).toEqual({ fullscreen: false, mute: true, closedCaptioning: true, pictureInPicture: true, inFocus: false });
      focus.mockReturnValue(true);
      stub(document, 'visibilityState', 'hidden');
      expect(player.states().inFocus).toBe(false);
    });

    it('are looked at again on every event that may change them', () => {
      const element = video();
      const tracks = new FakeTrackList();
      stub(element, 'textTracks', tracks);
      const listener = vi.fn();
      adapt(element).onStates(listener);
      document.dispatchEvent(new Event('fullscreenchange'));
      document.dispatchEvent(new Event('webkitfullscreenchange'));
      document.dispatchEvent(new Event('visibilitychange'));
      element.dispatchEvent(new Event('enterpictureinpicture'));
      element.dispatchEvent(new Event('leavepictureinpicture'));
      element.dispatchEvent(new Event('volumechange'));
      tracks.dispatchEvent(new Event('change'));
      tracks.add(new FakeTrack('captions'));
      window.dispatchEvent(new Event('blur'));
      window.dispatchEvent(new Event('focus'));
      expect(listener).toHaveBeenCalledTimes(10);
    });
  });

  describe('quality', () => {
    it('reads hls.js’s level bitrate in kbps and follows its switches', () => {
      const hls = new FakeHls();
      const player = adapt(video(), hls);
      const listener = vi.fn();
      player.onRendition(listener);
      expect(player.bitrate()).toBe(2500);
      hls.currentLevel = 1;
      hls.emit('hlsLevelSwitched', { level: 1 });
      expect(listener).toHaveBeenCalledTimes(1);
      expect(player.bitrate()).toBe(800);
      hls.currentLevel = -1;
      expect(player.bitrate()).toBeUndefined();
    });

    it('reads dash.js 5’s representation in kbps and follows its switches', () => {
      const dash = new FakeDash();
      const player = adapt(video(), dash);
      const listener = vi.fn();
      player.onRendition(listener);
      expect(player.bitrate()).toBe(1200);
      dash.emit('qualityChangeRendered');
      expect(listener).toHaveBeenCalledTimes(1);
    });

    it('finds the engine of Video.js 10 media itself, a rebuilt one at the next load', () => {
      const media = custom();
      const player = adapt(media);
      expect(player.bitrate()).toBeUndefined();
      const listener = vi.fn();
      player.onRendition(listener);
      const first = new FakeHls();
      media.engine = first;
      expect(player.bitrate()).toBe(2500);
      media.dispatchEvent(new Event('loadstart'));
      first.emit('hlsLevelSwitched');
      const second = new FakeHls();
      media.engine = second;
      media.dispatchEvent(new Event('loadstart'));
      second.emit('hlsLevelSwitched');
      expect(listener).toHaveBeenCalledTimes(2);
    });

    it('has no bitrate without an engine, and counts frames on the real <video>', () => {
      const media = custom();
      const counts = { droppedVideoFrames: 2, totalVideoFrames: 300 };
      stub(media.inner, 'getVideoPlaybackQuality', () => counts);
      const player = adapt(media);
      expect(player.bitrate()).toBeUndefined();
      expect(player.frames()).toEqual(counts);
      expect(adapt(video()).frames()).toBeUndefined();
    });
  });

  it('keeps time with the page’s timers and cancels either kind', () => {
    vi.useFakeTimers();
    const player = adapt(video());
    const once = vi.fn();
    const often = vi.fn();
    player.later(once, 100);
    const every = player.every(often, 50);
    const cancelled = player.later(once, 120);
    player.cancel(cancelled);
    vi.advanceTimersByTime(110);
    player.cancel(every);
    vi.advanceTimersByTime(200);
    expect([once.mock.calls.length, often.mock.calls.length]).toEqual([1, 2]);
  });

  it('has no ad stack: contrib-ads events on the element tell the tracker nothing', () => {
    const element = video();
    const stack = {
      breakStart: vi.fn(),
      adStart: vi.fn(),
      adEnd: vi.fn(),
      breakEnd: vi.fn(),
      playing: vi.fn(),
      paused: vi.fn(),
      waiting: vi.fn()
    };
    adapt(element).onAds(stack);
    for (const type of ['adstart', 'ads-ad-started', 'adplaying', 'adend']) element.dispatchEvent(new Event(type));
    expect(Object.values(stack).flatMap((spy) => spy.mock.calls)).toEqual([]);
  });
});
