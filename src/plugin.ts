import videojs from 'video.js';
import type Player from 'video.js/dist/types/player';
import type PluginType from 'video.js/dist/types/plugin';
import type { AdBreakDetails, AdDetails } from './ads';
import type { MediaCollectionOptions } from './options';
import { VERSION } from './params';
import { videojsPlayer } from './player/videojs';
import { createTracker, type Tracker } from './tracker';

export type { MediaCollectionOptions, EdgeOptions, ExtraMetadata, Params } from './options';
export type { EndReason } from './session';
export type { ProblemCode } from './context';
export type { AdBreakDetails, AdDetails } from './ads';
export type { SessionStartData, SessionEndData, ErrorData } from './tracker';

const Plugin = videojs.getPlugin('plugin') as typeof PluginType;

/** The plugin's state (`tracker.state`), watched with `statechanged`. */
export interface MediaCollectionState {
  sessionId: string | null;
}

/**
 * The tracker: reports the player's playback to Adobe's Media Collection API or Edge Network.
 * Created by `player.mediaCollection(options)`; later calls return the same instance. The work
 * is the player-neutral tracker's (tracker.ts); this class gives it the video.js player.
 */
class MediaCollection extends Plugin {
  /** The plugin's version. */
  static VERSION = VERSION;
  static defaultState: MediaCollectionState = { sessionId: null };

  declare state: MediaCollectionState;
  declare setState: (state: Partial<MediaCollectionState>) => void;
  declare on: {
    (type: string, listener: (...args: never[]) => void): void;
    (target: unknown, type: string, listener: (...args: never[]) => void): void;
  };

  #tracker: Tracker;
  // This plugin's listeners on the player, to move behind contrib-ads' when it comes later.
  #moved: Array<[string, (event: Event) => void]> = [];
  // Removes the listeners on window and document at disposal (video.js's `this.on` takes
  // only DOM elements and evented objects).
  #detach = new AbortController();

  constructor(player: Player, options?: MediaCollectionOptions) {
    super(player);
    this.#tracker = createTracker(
      {
        player: (listen) => videojsPlayer(player, listen),
        listen: (target, type, listener) => {
          if (target === player) this.#moved.push([type, listener]);
          if (typeof (target as { on?: unknown }).on === 'function') this.on(target, type, listener);
          else (target as EventTarget).addEventListener(type, listener, { signal: this.#detach.signal });
        },
        subject: player,
        log: this.log,
        emit: (type, data, later) => {
          const tell = () => {
            // A session id can come after disposal (the last events still go out): nobody to tell.
            if (!this.player) return;
            // video.js triggers statechanged only for a change.
            this.setState({ sessionId: this.sessionId });
            this.player.trigger(`mediacollection:${type}`, data);
          };
          if (later) player.ready(tell);
          else tell();
        }
      },
      options
    );
    // contrib-ads hides ad playback only from listeners added after its own: when it is set up
    // after this plugin, move this plugin's listeners behind it.
    this.on(player, 'pluginsetup:ads', () =>
      this.#tracker.guard(() => {
        for (const [type, listener] of this.#moved) {
          player.off(type, listener);
          player.on(type, listener);
        }
      })
    );
  }

  /** The current session id, parsed from the `Location` of the `201` (on the Edge, its handle); `null` when none is open. */
  get sessionId(): string | null {
    return this.#tracker.sessionId;
  }

  /** Starts a session now if none is open (with `autoStart: false`, or after `end()`). */
  start(): void {
    this.#tracker.start();
  }

  /** Sends `sessionEnd` for the open session and stops tracking until the next start. */
  end(): void {
    this.#tracker.end();
  }

  /** Starts a custom player state (`stateStart`), e.g. `'theaterMode'`; names match `^[a-zA-Z0-9_.]{1,64}$`. */
  startState(name: string): void {
    this.#tracker.startState(name);
  }

  /** Ends a custom player state (`stateEnd`). */
  endState(name: string): void {
    this.#tracker.endState(name);
  }

  /**
   * Defines the chapters in code, for media without a chapters track: each `{ start, end, name }`
   * in seconds. They are tracked like a track's chapters.
   */
  setChapters(chapters: Array<{ start: number; end: number; name?: string }>): void {
    this.#tracker.setChapters(chapters);
  }

  /** Starts an ad break, for ad stacks other than contrib-ads and IMA (e.g. server-side ads). */
  adBreakStart(details?: AdBreakDetails): void {
    this.#tracker.adBreakStart(details);
  }

  /** Starts an ad inside the break. */
  adStart(details: AdDetails): void {
    this.#tracker.adStart(details);
  }

  /** The current ad played to its end. */
  adComplete(): void {
    this.#tracker.adComplete();
  }

  /** The viewer skipped the current ad. */
  adSkip(): void {
    this.#tracker.adSkip();
  }

  /** The ad break is over; content `play` follows. */
  adBreakComplete(): void {
    this.#tracker.adBreakComplete();
  }

  /**
   * The viewer's consent, from a consent manager: `'granted'` sends what was kept while it was
   * pending (in order, with the original `ts`) and tracks from now on; `'denied'` drops what was
   * kept and sends nothing more until it is granted.
   */
  setConsent(state: 'granted' | 'denied'): void {
    this.#tracker.setConsent(state);
  }

  override dispose(): void {
    // The last sessionEnd must go out before super.dispose() takes the player away.
    this.#tracker.dispose();
    this.#detach.abort();
    super.dispose();
  }
}

declare module 'video.js/dist/types/player' {
  export default interface Player {
    /** Sets up the Media Collection tracker on the first call; returns it on every call. */
    mediaCollection(options?: MediaCollectionOptions): MediaCollection;
  }
}

if (!videojs.getPlugin('mediaCollection')) videojs.registerPlugin('mediaCollection', MediaCollection);

export default MediaCollection;
