import videojs from 'video.js';
import type Player from 'video.js/dist/types/player';
import type PluginType from 'video.js/dist/types/plugin';
import { createAds, type AdBreakDetails, type AdDetails, type Ads } from './ads';
import { createChapters } from './chapters';
import { createDelivery, type Delivery } from './delivery';
import { checkOptions, type MediaCollectionOptions } from './options';
import { VERSION } from './params';
import type { Context, ProblemCode } from './context';
import { createPlayback, type Playback } from './playback';
import { createQuality } from './quality';
import { STATE_NAME, createStates, type States } from './states';
import type { EndReason } from './session';
import { mediaCollection } from './transport/media-collection';
import { mediaEdge } from './transport/media-edge';
import { findIdentity } from './identity';
import type { MediaPlayer } from './player/player';
import { videojsPlayer } from './player/videojs';

export type { MediaCollectionOptions, ExtraMetadata, Params } from './options';
export type { EndReason } from './session';
export type { ProblemCode } from './context';
export type { AdBreakDetails, AdDetails } from './ads';

const Plugin = videojs.getPlugin('plugin') as typeof PluginType;

/** The plugin's state (`tracker.state`), watched with `statechanged`. */
export interface MediaCollectionState {
  sessionId: string | null;
}

/** Data of `mediacollection:sessionstart`. */
export interface SessionStartData {
  sessionId: string;
}

/** Data of `mediacollection:sessionend`. */
export interface SessionEndData {
  sessionId: string | null;
  reason: EndReason;
}

/** Data of `mediacollection:error`. */
export interface ErrorData {
  /**
   * `invalid-options`, `invalid-argument` (a tracker method got something it cannot use),
   * `rejected` (the API refused a request), `dropped` (past a delivery bound) or `internal`.
   */
  code: ProblemCode;
  message: string;
}

/**
 * The tracker: reports the player's playback to Adobe's Media Collection API. Created by
 * `player.mediaCollection(options)`; later calls return the same instance.
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

  #playback?: Playback;
  #delivery?: Delivery;
  #media?: MediaPlayer;
  #states?: States;
  #ads?: Ads;
  // This plugin's listeners on the player, to move behind contrib-ads' when it comes later.
  #moved: Array<[string, (event: Event) => void]> = [];
  #reported = new Set<string>();
  // Removes the listeners on window and document at disposal (video.js's `this.on` takes
  // only DOM elements and evented objects).
  #detach = new AbortController();

  constructor(player: Player, options?: MediaCollectionOptions) {
    super(player);
    this.#guard(() => {
      const { config, errors, warnings } = checkOptions(options);
      warnings.forEach((warning) => this.log.warn(warning));
      if (errors.length) {
        // Reported once the player is ready, so that listeners added right after setup hear it.
        return player.ready(() => this.#problem('invalid-options', `invalid options, nothing is sent: ${errors.join('; ')}`));
      }
      const context: Context = {
        player: (this.#media = videojsPlayer(player, this.#listen.bind(this))),
        config,
        listen: this.#listen.bind(this),
        warn: (message) => this.log.warn(message),
        // Delivery calls this from its own tasks: it must not throw either.
        problem: (code, message) => this.#guard(() => this.#problem(code, message))
      };
      const delivery = (this.#delivery = createDelivery(
        config.datastreamId ? mediaEdge(config.base, config.datastreamId) : mediaCollection(config.base),
        {
          problem: context.problem,
          trace: (message) => config.debug && this.log(message),
          prepare: (event, done) => {
            const params = event.media!.params;
            if (!config.identity || params['visitor.marketingCloudUserId'] != null) return done();
            findIdentity(params['visitor.marketingCloudOrgId'] as string | undefined, (found) => {
              // Values in params win.
              event.media!.params = { ...found, ...params };
              done();
            });
          },
          sessionStarted: (session) =>
            this.#guard(() => {
              this.#sync();
              // A session id can come after disposal (the last events still go out).
              this.player?.trigger('mediacollection:sessionstart', { sessionId: session.sid });
            }),
          gone: (session) => this.#guard(() => playback.sessions.restart(session))
        },
        config.consentPending ? 'pending' : 'granted'
      ));
      const playback = (this.#playback = createPlayback({
        ...context,
        delivery,
        metadata: () => {
          try {
            return { result: config.metadata?.(player) };
          } catch (threw) {
            return { threw };
          }
        },
        ended: (session, reason) => {
          this.#sync();
          player.trigger('mediacollection:sessionend', { sessionId: session.sid, reason });
        }
      }));
      const features = { ...context, playback };
      // Restart context order (spec §4.4): chapter, ad break and ad, states. Quality data listens
      // after playback, so that the first play is built before it forgets the play request.
      playback.use(
        createChapters(features),
        (this.#ads = createAds(features)),
        (this.#states = createStates(features)),
        createQuality(features)
      );
      // contrib-ads hides ad playback only from listeners added after its own: when it is set
      // up after this plugin, move this plugin's listeners behind it.
      this.#listen(player, 'pluginsetup:ads', () => {
        for (const [type, listener] of this.#moved) {
          player.off(type, listener);
          player.on(type, listener);
        }
      });
      // Closing first, so that the sessionEnd leaves unload-safe too (a beacon on the Edge path).
      const leave = () => {
        delivery.closing(true);
        playback.sessions.end('unload');
      };
      // Twice: Firefox cuts the first script that runs as a tab closes short now and then (measured:
      // this listener stopped part way, without an exception, in 3 to 6 closes of 10, while a
      // listener after it ran). The second finishes what the first left; after a first that
      // finished, it finds nothing to do (see the README's "Supported browsers").
      this.#listen(window, 'pagehide', leave);
      this.#listen(window, 'pagehide', leave);
      this.#listen(window, 'pageshow', () => delivery.closing(false));
    });
  }

  /** The current session id, parsed from the `Location` of the `201`; `null` when none is open. */
  get sessionId(): string | null {
    return this.#playback?.active ? this.#playback.session!.sid : null;
  }

  /** Starts a session now if none is open (with `autoStart: false`, or after `end()`). */
  start(): void {
    this.#guard(() => this.#playback?.sessions.start());
  }

  /** Sends `sessionEnd` for the open session and stops tracking until the next start. */
  end(): void {
    this.#guard(() => this.#playback?.sessions.end());
  }

  /** Starts a custom player state (`stateStart`), e.g. `'theaterMode'`; names match `^[a-zA-Z0-9_.]{1,64}$`. */
  startState(name: string): void {
    this.#toggleState(name, true);
  }

  /** Ends a custom player state (`stateEnd`). */
  endState(name: string): void {
    this.#toggleState(name, false);
  }

  /**
   * Defines the chapters in code, for media without a chapters track: each `{ start, end, name }`
   * in seconds. They are tracked like a track's chapters.
   */
  setChapters(chapters: Array<{ start: number; end: number; name?: string }>): void {
    this.#guard(() => {
      // The new track is followed like any other chapters track.
      this.#media?.addChapters(chapters);
    });
  }

  /** Starts an ad break, for ad stacks other than contrib-ads and IMA (e.g. server-side ads). */
  adBreakStart(details?: AdBreakDetails): void {
    this.#guard(() => this.#ads?.breakStart(details));
  }

  /** Starts an ad inside the break. */
  adStart(details: AdDetails): void {
    this.#guard(() => this.#ads?.adStart(details));
  }

  /** The current ad played to its end. */
  adComplete(): void {
    this.#guard(() => this.#ads?.adEnd('adComplete'));
  }

  /** The viewer skipped the current ad. */
  adSkip(): void {
    this.#guard(() => this.#ads?.adEnd('adSkip'));
  }

  /** The ad break is over; content `play` follows. */
  adBreakComplete(): void {
    this.#guard(() => this.#ads?.breakEnd('stitched'));
  }

  /**
   * The viewer's consent, from a consent manager: `'granted'` sends what was kept while it was
   * pending (in order, with the original `ts`) and tracks from now on; `'denied'` drops what was
   * kept and sends nothing more until it is granted.
   */
  setConsent(state: 'granted' | 'denied'): void {
    this.#guard(() => {
      if (state !== 'granted' && state !== 'denied') {
        return this.#problem('invalid-argument', `invalid consent ${JSON.stringify(state)}`);
      }
      const was = this.#delivery?.consent(state);
      if (state === 'denied' || was === 'denied') this.#playback?.sessions.consent(state);
    });
  }

  override dispose(): void {
    this.#detach.abort();
    // The last sessionEnd must go out before super.dispose() takes the player away.
    this.#guard(() => {
      this.#playback?.sessions.end('dispose');
      this.#playback?.dispose();
      this.#delivery?.dispose();
    });
    this.#playback = undefined;
    super.dispose();
  }

  #toggleState(name: string, on: boolean): void {
    this.#guard(() => {
      if (!STATE_NAME.test(name)) return this.#problem('invalid-argument', `invalid state name ${JSON.stringify(name)}`);
      this.#states?.set(name, on);
    });
  }

  /**
   * Listens until disposal to the player and video.js's own objects (through `this.on`) or to
   * `window`, `document` and native text tracks (which `this.on` does not take); nothing
   * thrown escapes. `types` are separated by spaces.
   */
  #listen(target: object, types: string, listener: (event: Event) => void): void {
    const guarded = (event: Event) => this.#guard(() => listener(event));
    for (const type of types.split(' ')) {
      if (target === this.player) this.#moved.push([type, guarded]);
      if (typeof (target as { on?: unknown }).on === 'function') this.on(target, type, guarded);
      else (target as EventTarget).addEventListener(type, guarded, { signal: this.#detach.signal });
    }
  }

  #sync(): void {
    // video.js triggers statechanged only for a change.
    if (this.#playback) this.setState({ sessionId: this.sessionId });
  }

  #problem(code: ProblemCode, message: string): void {
    this.log.error(message);
    this.player?.trigger('mediacollection:error', { code, message });
  }

  /** Nothing the plugin does may throw into the page or stop playback. */
  #guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      try {
        // One report per distinct failure: a broken player method would otherwise fail every event.
        const message = `internal error, tracking goes on: ${error}`;
        if (!this.#reported.has(message)) this.#problem('internal', message);
        this.#reported.add(message);
      } catch {
        // the player is gone; there is nobody left to tell
      }
    }
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
