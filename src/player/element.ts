import type { ChapterCue, FrameCounts, MediaFacts, MediaPlayer, StandardState } from './player';
import type { Listen } from './videojs';

// Every read of a media element lives here: a plain <video>/<audio> (natively, or played by
// hls.js or dash.js), or a Video.js 10 custom media element (<hls-video>, …), which forwards the
// media properties and events of the real element inside it and adds its engine's errors.

/** A Video.js 10 custom media element, beside what it forwards of its real element. */
interface CustomMedia {
  /** The real `<video>`/`<audio>` (in its shadow root, or a `slot="media"` child). */
  target?: HTMLMediaElement | null;
  /** The hls.js instance or dash.js player, `null` for native playback. */
  engine?: unknown;
  /** `on-demand`, `live` or `unknown` on hls/dash media. */
  streamType?: string;
}

/** The parts of an hls.js instance read here. */
interface Hls {
  url?: string | null;
  currentLevel: number;
  levels?: Array<{ bitrate?: number; details?: { live?: boolean } } | undefined>;
  on(name: string, listener: (name: string, data?: { fatal?: boolean; details?: string }) => void): void;
}

/** The parts of a dash.js 5 player read here. */
interface Dash {
  getSource(): unknown;
  on(name: string, listener: () => void): void;
  isDynamic?(): boolean;
  getCurrentRepresentationForType?(type: string): { bandwidth?: number } | null | undefined;
}

/** What an engine's or a Video.js 10 `ErrorEvent`'s error carries. */
interface ErrorLike {
  code?: unknown;
  fatal?: boolean;
}

const isHls = (engine: unknown): engine is Hls => !!engine && typeof engine === 'object' && 'currentLevel' in engine;
const isDash = (engine: unknown): engine is Dash => typeof (engine as Partial<Dash> | null)?.getSource === 'function';
/**
 * Whether `ancestor` is `node` or one of its composed ancestors: Video.js 10 skins put the
 * fullscreen container in a shadow root, where `contains()` does not look.
 */
const within = (node: Node | null, ancestor: Node) => {
  for (; node; node = node instanceof ShadowRoot ? node.host : node.parentNode) if (node === ancestor) return true;
  return false;
};
/** A `blob:` URL is a MediaSource of the moment, never the media's identity. */
const authored = (url: unknown) => (typeof url === 'string' && !url.startsWith('blob:') ? url : '');

/**
 * A media element as the tracker reads it: a plain `HTMLMediaElement` (with `options.engine`,
 * the hls.js instance or dash.js player that plays it, if any), or a Video.js 10 custom media
 * element, which names its engine itself. `listen` is the tracker's: it ends with the tracker
 * and keeps anything a listener throws from the page.
 */
export function elementPlayer(target: HTMLElement, listen: Listen, options?: { engine?: unknown }): MediaPlayer {
  const plain = target instanceof HTMLMediaElement;
  // A custom media element forwards the media properties: read both kinds through one type.
  const media = target as HTMLMediaElement & CustomMedia;
  /** The real element: where text tracks are added and frames counted. */
  const real = (): HTMLMediaElement | undefined => (plain ? media : media.target) ?? undefined;
  const engine = () => (plain ? options?.engine : media.engine);
  const textTracks = () => real()?.textTracks ?? media.textTracks;
  const tracks = () => Array.from((textTracks() ?? []) as ArrayLike<TextTrack>);
  const chaptersTrack = () => tracks().find((track) => track.kind === 'chapters');

  // Engine events reach the tracker through this target, listened to with `listen`: guarded,
  // and silent once the tracker is gone (engines have no listener that ends with it).
  const relay = new EventTarget();
  const hooked = new WeakSet<object>();
  /** The last source read that was not a `blob:` URL. */
  let lastSrc = '';
  /** The fatal error the engine of a plain element reported (`hls:<details>`); its <video> has none. */
  let engineError = '';
  /** The last error a Video.js 10 media dispatched as an `ErrorEvent`. */
  let dispatched: ErrorLike | undefined;

  const hook = () => {
    const current = engine();
    if (!current || typeof current !== 'object' || hooked.has(current)) return;
    hooked.add(current);
    const rendition = () => relay.dispatchEvent(new Event('rendition'));
    if (isHls(current)) {
      current.on('hlsLevelSwitched', rendition);
      // Video.js 10 media turn hls.js's fatal errors into their own `error`; a plain element never does.
      if (plain) {
        current.on('hlsError', (_name, data) => {
          if (!data?.fatal) return;
          engineError = `hls:${data.details || 'fatal'}`;
          relay.dispatchEvent(new Event('error'));
        });
      }
    } else if (isDash(current)) {
      current.on('qualityChangeRendered', rendition);
    }
  };

  // Registered before the tracker's own listeners, so that its `error` handler reads this error.
  listen(target, 'error', (event) => {
    const error = (event as Partial<ErrorEvent>).error as ErrorLike | undefined;
    if (error && typeof error === 'object' && error.fatal !== false) dispatched = error;
  });
  // A new load or playing again: the old error is over. A new load may also bring a new engine.
  listen(target, 'loadstart playing', (event) => {
    dispatched = undefined;
    engineError = '';
    if (event.type === 'loadstart') hook();
  });
  hook();

  /** A playback error's id; '' for an aborted load or the error of a cleared source. */
  const errorOf = (error: ErrorLike | null | undefined) => {
    if (!error) return '';
    const code = Number(error.code);
    const cleared = !(plain ? media.getAttribute('src') : media.src) || !media.currentSrc;
    if (code === 1 || (code === 4 && cleared)) return '';
    return String(error.code ?? '') || 'unknown';
  };

  const live = () => {
    const current = engine();
    if (media.streamType === 'live') return true;
    if (isHls(current)) return !!current.levels?.[current.currentLevel]?.details?.live;
    return isDash(current) && !!current.isDynamic?.();
  };

  const self: MediaPlayer = {
    on(types, listener) {
      listen(target, types, listener);
      if (types.split(' ').includes('error')) listen(relay, 'error', listener);
    },
    later: (fn, ms) => window.setTimeout(fn, ms),
    every: (fn, ms) => window.setInterval(fn, ms),
    cancel(id) {
      window.clearTimeout(id);
      window.clearInterval(id);
    },

    position() {
      const t = Number(media.currentTime);
      return t > 0 && isFinite(t) ? t : 0;
    },

    duration() {
      if (live()) return Infinity;
      const d = Number(media.duration);
      return d > 0 ? d : NaN;
    },

    paused: () => !!media.paused,
    atEnd: () => !!media.ended,

    /**
     * The authored source: the custom element's `src`, the engine's URL, else the element's.
     * When only a `blob:` URL is there (MSE, an engine rebuild), the last authored one: '' would
     * end the session as a new media item.
     */
    src() {
      const current = engine();
      const attribute = plain ? (media.getAttribute('src') ? media.src : '') : media.src;
      const url =
        authored(plain ? '' : attribute) ||
        authored(isHls(current) ? current.url : isDash(current) ? current.getSource() : '') ||
        authored(media.currentSrc) ||
        authored(attribute);
      if (url) return (lastSrc = url);
      return /^blob:/.test(media.currentSrc || attribute || '') ? lastSrc : '';
    },

    errorId: () => engineError || errorOf(dispatched) || errorOf(media.error),

    facts: (): MediaFacts => ({
      src: self.src(),
      // Video.js 10 media, or a plain element in a Video.js 10 player; else the browser's own.
      playerName: target !== real() || target.closest('video-player, audio-player') ? 'Video.js 10' : 'HTML5',
      duration: self.duration(),
      audio: real() instanceof HTMLAudioElement || target instanceof HTMLAudioElement || !!target.closest('audio-player'),
      mediainfo: {},
      source: { src: self.src(), title: target.getAttribute('title') || undefined }
    }),

    chapters() {
      const track = chaptersTrack();
      if (!track) return [];
      // Browsers load no cues for a disabled track; hidden loads them and shows nothing.
      if (track.mode === 'disabled') track.mode = 'hidden';
      return Array.from((track.cues ?? []) as ArrayLike<ChapterCue>);
    },

    onChapters(listener) {
      // Tracks come late (and go): look again then, and follow each track's cue changes.
      const followed = new WeakSet<TextTrack>();
      let watched: TextTrack | undefined;
      const look = () => {
        const track = chaptersTrack();
        if (track === watched) return;
        watched = track;
        if (!track) return;
        if (!followed.has(track)) {
          followed.add(track);
          listen(track, 'cuechange', listener);
        }
        if (track.mode === 'disabled') track.mode = 'hidden';
        listener();
      };
      const list = textTracks();
      if (list) listen(list, 'addtrack removetrack', look);
      listen(target, 'loadedmetadata', look);
      look();
    },

    addChapters(chapters) {
      // Video.js 10 custom media have no `addTextTrack`: their real element has.
      const track = real()?.addTextTrack('chapters', 'Chapters');
      for (const { start, end, name } of chapters) track?.addCue(new VTTCue(start, end, name ?? ''));
    },

    states(): Record<StandardState, boolean> {
      const doc = document as Document & { webkitFullscreenElement?: Element | null };
      const full = doc.fullscreenElement || doc.webkitFullscreenElement;
      const pip = document.pictureInPictureElement;
      return {
        fullscreen: !!full && (full === real() || within(target, full)),
        mute: !!media.muted || media.volume === 0,
        closedCaptioning: tracks().some((track) => track.mode === 'showing' && /^(captions|subtitles)$/.test(track.kind)),
        pictureInPicture: !!pip && (pip === target || pip === real()),
        inFocus: document.visibilityState === 'visible' && document.hasFocus()
      };
    },

    onStates(listener) {
      listen(document, 'fullscreenchange webkitfullscreenchange visibilitychange', listener);
      listen(target, 'enterpictureinpicture leavepictureinpicture volumechange', listener);
      const list = textTracks();
      if (list) listen(list, 'change addtrack removetrack', listener);
      listen(window, 'focus blur', listener);
    },

    bitrate() {
      const current = engine();
      let bps: number | undefined;
      if (isHls(current)) bps = current.levels?.[current.currentLevel]?.bitrate;
      else if (isDash(current)) bps = current.getCurrentRepresentationForType?.('video')?.bandwidth;
      return bps ? Math.round(bps / 1000) : undefined;
    },

    frames: () => (real() as HTMLVideoElement | undefined)?.getVideoPlaybackQuality?.() as FrameCounts | undefined,

    onRendition(listener) {
      hook();
      listen(relay, 'rendition', listener);
    },

    // No ad stack of its own: ads come through the tracker's ad methods.
    onAds: () => undefined
  };
  return self;
}
