import type { AdBreakDetails, AdDetails } from './ads';
import type { ExtraMetadata, MediaCollectionOptions } from './options';
import { elementPlayer } from './player/element';
import { createTracker, type Tracker, type TrackerEvents } from './tracker';

export type { EdgeOptions, ExtraMetadata, Params } from './options';
export type { EndReason } from './session';
export type { ProblemCode } from './context';
export type { AdBreakDetails, AdDetails } from './ads';
export type { SessionStartData, SessionEndData, ErrorData } from './tracker';

/** The options of `trackMedia`: the plugin's, with `metadata` called with the media element and `engine` for a plain one. */
export interface TrackMediaOptions extends Omit<MediaCollectionOptions, 'metadata'> {
  /** Called at every session start with the media element; returns extra `params` and `customMetadata`. */
  metadata?: (media: HTMLElement) => ExtraMetadata | undefined;
  /**
   * The hls.js instance or dash.js player that plays a plain `<video>`, for the bitrate and the
   * engine's fatal errors (Video.js 10 media name their engine themselves).
   */
  engine?: unknown;
}

/** The tracker of one media element (or Video.js 10 player), as `trackMedia` returns it. */
export interface MediaTracker {
  /** The current session id; `null` when no session is open. */
  readonly sessionId: string | null;
  /** Starts a session now if none is open (with `autoStart: false`, or after `end()`). */
  start(): void;
  /** Sends `sessionEnd` for the open session and stops tracking until the next start. */
  end(): void;
  /** Starts a custom player state, e.g. `'theaterMode'`. */
  startState(name: string): void;
  /** Ends a custom player state. */
  endState(name: string): void;
  /** Defines the chapters in code (seconds). */
  setChapters(chapters: Array<{ start: number; end: number; name?: string }>): void;
  /** Starts an ad break (server-side ads, an ad SDK of the site's). */
  adBreakStart(details?: AdBreakDetails): void;
  /** Starts an ad inside the break. */
  adStart(details: AdDetails): void;
  /** The current ad played to its end. */
  adComplete(): void;
  /** The viewer skipped the current ad. */
  adSkip(): void;
  /** The ad break is over. */
  adBreakComplete(): void;
  /** The viewer's consent, from a consent manager. */
  setConsent(state: 'granted' | 'denied'): void;
  /** Ends the open session (reason `dispose`) and removes every listener and timer. */
  dispose(): void;
}

/** A Video.js 10 player element (`<video-player>`): its store, whose target is the current media. */
interface PlayerElement extends HTMLElement {
  store: { target?: { media?: HTMLElement | null } | null; destroyed?: boolean; subscribe(callback: () => void): () => void };
}

/** How long a media element may stay out of the document before its session ends (ms). */
export const DETACHED = 1000;

const isPlayerElement = (target: HTMLElement): target is PlayerElement =>
  typeof (target as Partial<PlayerElement>).store?.subscribe === 'function';

/**
 * Tracks a media element without video.js: a plain `<video>` or `<audio>` (natively, or played
 * by hls.js or dash.js given as `engine`), a Video.js 10 media element (`<hls-video>`, …) or a
 * Video.js 10 player element (`<video-player>`), whose current media it follows. The events are
 * `CustomEvent`s on `target` (`mediacollection:sessionstart`, …) with the data in `detail`.
 */
export function trackMedia(target: HTMLElement, options: TrackMediaOptions): MediaTracker {
  const { engine } = options ?? {};
  /** Removes the listeners of the current media's tracker. */
  let detach = new AbortController();
  // No video.js logger here: the console, prefixed as video.js would, in video.js's logger's shape.
  // eslint-disable-next-line no-console -- the one place without a player's logger
  const say = (level: 'warn' | 'error' | 'log') => (message: string) => console[level](`mediaCollection: ${message}`);
  const log = Object.assign(say('log'), { warn: say('warn'), error: say('error') });
  const emit = <T extends keyof TrackerEvents>(type: T, data: TrackerEvents[T], later?: boolean) => {
    const send = () => target.dispatchEvent(new CustomEvent(`mediacollection:${type}`, { detail: data }));
    // Invalid options: told once the caller could add its listeners.
    if (later) setTimeout(send);
    else send();
  };

  /** The consent the site gave, for the trackers of the media that come later. */
  let consent: 'granted' | 'denied' | undefined;

  /** A tracker of `media`; null for a player element without media yet. */
  const track = (media: HTMLElement | null | undefined): Tracker | null => {
    if (!media) return null;
    const { signal } = (detach = new AbortController());
    const made = createTracker(
      {
        player: (listen) => elementPlayer(media, listen, { engine }),
        listen: (on, type, listener) => (on as EventTarget).addEventListener(type, listener, { signal }),
        subject: media,
        log,
        emit
      },
      options
    );
    if (consent) made.setConsent(consent);
    return made;
  };

  const player = isPlayerElement(target) ? target : null;
  let media = player ? player.store.target?.media : target;
  let tracker = track(media);
  let unsubscribe = () => {};
  let gone: ReturnType<typeof setTimeout> | undefined;

  const dispose = () => {
    clearTimeout(gone);
    unsubscribe();
    observer.disconnect();
    tracker?.dispose();
    detach.abort();
  };

  if (player) {
    // The store tells of every change in one batched call: a new media is a new media item, a
    // destroyed player (removed from the page) ends the session as a disposed video.js player does.
    unsubscribe = player.store.subscribe(() => {
      try {
        if (player.store.destroyed) return dispose();
        const next = player.store.target?.media;
        if (next === media || !next) return;
        tracker?.dispose('source');
        detach.abort();
        media = next;
        tracker = track(media);
      } catch {
        // a store that is not what Video.js 10 beta.23 has: the current media goes on being tracked
      }
    });
  }

  // A media element taken out of the document and not put back within a moment ends its
  // session, as a disposed video.js player does.
  const observer = new MutationObserver(() => {
    if (!target.isConnected) gone ??= setTimeout(() => (target.isConnected ? (gone = undefined) : dispose()), DETACHED);
  });
  observer.observe(document, { childList: true, subtree: true });

  const call =
    <A extends unknown[]>(method: (tracker: Tracker, ...args: A) => void) =>
    (...args: A) =>
      tracker && method(tracker, ...args);
  return {
    get sessionId() {
      return tracker?.sessionId ?? null;
    },
    start: call((t) => t.start()),
    end: call((t) => t.end()),
    startState: call((t, name: string) => t.startState(name)),
    endState: call((t, name: string) => t.endState(name)),
    setChapters: call((t, chapters: Array<{ start: number; end: number; name?: string }>) => t.setChapters(chapters)),
    adBreakStart: call((t, details?: AdBreakDetails) => t.adBreakStart(details)),
    adStart: call((t, details: AdDetails) => t.adStart(details)),
    adComplete: call((t) => t.adComplete()),
    adSkip: call((t) => t.adSkip()),
    adBreakComplete: call((t) => t.adBreakComplete()),
    setConsent(state: 'granted' | 'denied') {
      if (state === 'granted' || state === 'denied') consent = state;
      tracker?.setConsent(state);
    },
    dispose
  };
}
