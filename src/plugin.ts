import videojs from 'video.js';
import type Player from 'video.js/dist/types/player';
import type PluginType from 'video.js/dist/types/plugin';
import { Chapters } from './chapters';
import { Delivery } from './delivery';
import { checkOptions, type MediaCollectionOptions } from './options';
import { VERSION } from './params';
import { Playback } from './playback';
import { Quality } from './quality';
import { STATE_NAME, States } from './states';
import type { EndReason, Session } from './session';

export type { MediaCollectionOptions, ExtraMetadata, Params } from './options';
export type { EndReason } from './session';

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
  /** `invalid-options`, `rejected` (the API answered 4xx), `dropped` (past a delivery bound) or `internal`. */
  code: string;
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
    (type: string, listener: (...args: any[]) => void): void;
    (target: unknown, type: string, listener: (...args: any[]) => void): void;
  };

  #playback?: Playback;
  #delivery?: Delivery;
  #states?: States;
  #chapters?: Chapters;
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
      const trace = (message: string) => config.debug && this.log(message);
      this.#delivery = new Delivery(config.base, {
        started: (session) => {
          this.#sync();
          this.player?.trigger('mediacollection:sessionstart', { sessionId: session.sid });
        },
        gone: (session) => this.#guard(() => this.#playback?.restart(session as Session)),
        problem: (code, message) => this.#problem(code, message),
        trace
      });
      const playback = (this.#playback = new Playback(
        player,
        config,
        this.#delivery,
        {
          ended: (session, reason) => {
            this.#sync();
            player.trigger('mediacollection:sessionend', { sessionId: session.sid, reason });
          },
          problem: (code, message) => this.#problem(code, message),
          warn: (message) => this.log.warn(message)
        },
        (type, listener) => this.#listen(player, type, listener)
      ));
      const host = {
        playback,
        player,
        config,
        listen: this.#listen.bind(this),
        warn: (message: string) => this.log.warn(message)
      };
      // Restart context order (spec §4.4): chapter, states.
      playback.features.push((this.#chapters = new Chapters(host)), (this.#states = new States(host)), new Quality(host));
      this.#listen(window, 'pagehide', () => {
        playback.end('unload');
        this.#delivery!.flush(false);
      });
    });
  }

  /** The current session id, parsed from the `Location` of the `201`; `null` when none is open. */
  get sessionId(): string | null {
    const session = this.#playback?.session;
    return session && !session.closed && !session.dead ? session.sid : null;
  }

  /** Starts a session now if none is open (with `autoStart: false`, or after `end()`). */
  start(): void {
    this.#guard(() => this.#playback?.start());
  }

  /** Sends `sessionEnd` for the open session and stops tracking until the next start. */
  end(): void {
    this.#guard(() => this.#playback?.end());
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
      const track = this.player.addTextTrack('chapters', 'Chapters') as unknown as TextTrack;
      for (const { start, end, name } of chapters) track.addCue(new VTTCue(start, end, name ?? ''));
      this.#chapters?.attach();
    });
  }

  override dispose(): void {
    this.#detach.abort();
    // The last sessionEnd must go out before super.dispose() takes the player away.
    this.#guard(() => {
      this.#playback?.end('dispose');
      this.#playback?.dispose();
      this.#delivery?.flush(true);
    });
    this.#playback = undefined;
    super.dispose();
  }

  #toggleState(name: string, on: boolean): void {
    this.#guard(() => {
      if (!STATE_NAME.test(name)) return this.#problem('invalid-argument', `invalid state name ${JSON.stringify(name)} (^[a-zA-Z0-9_.]{1,64}$)`);
      this.#states?.set(name, on);
    });
  }

  /**
   * Listens until disposal to the player and video.js's own objects (through `this.on`) or to
   * `window`, `document` and native text tracks (which `this.on` does not take); nothing
   * thrown escapes.
   */
  #listen(target: object, type: string, listener: (event: Event) => void): void {
    const guarded = (event: Event) => this.#guard(() => listener(event));
    if (typeof (target as { on?: unknown }).on === 'function') this.on(target, type, guarded);
    else (target as EventTarget).addEventListener(type, guarded, { signal: this.#detach.signal });
  }

  #sync(): void {
    if (this.#playback && this.state.sessionId !== this.sessionId) this.setState({ sessionId: this.sessionId });
  }

  #problem(code: string, message: string): void {
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
