import type Player from 'video.js/dist/types/player';
import type { ApiEvent, Delivery } from './delivery';
import { checkCustomMetadata, checkParams, requireKeys, type Config, type Problems } from './options';
import { sessionStartBody } from './params';
import { atEnd, currentSrc, duration, errorId, mediaFacts, position } from './player-facts';
import { Clock, Session, type EndReason } from './session';

/** Where main-content playback is, as far as the API is concerned. */
const enum Phase {
  Idle,
  Playing,
  Paused,
  Buffering,
  Seeking,
  Ended
}

/**
 * What a feature module gets from the plugin: the playback to send events through, the player
 * and options, and listening that ends with the plugin (nothing it runs can throw into the page).
 */
export interface FeatureHost {
  playback: Playback;
  player: Player;
  config: Config;
  listen(target: object, type: string, listener: (event: Event) => void): void;
  warn(message: string): void;
}

/** How playback tells the plugin what happened. */
export interface PlaybackHooks {
  ended(session: Session, reason: EndReason): void;
  problem(code: string, message: string): void;
  warn(message: string): void;
}

/** A scrub is many seeks; `play` waits this long (ms) after the last one (spec §4.5). */
export const SEEK_SETTLE = 300;
/** Sessions are ended and resumed before Adobe's 24 h limit (spec §4.2): 23 h 59 min. */
export const MAX_SESSION = 86340000;

/** Sessions of one media item the server may close (404/410) before the plugin stops resuming them. */
export const MAX_RESTARTS = 5;

type Timer = 'ping' | 'idle' | 'seek' | 'max';

/** A module beside playback that adds its own events: player states, quality data, chapters, ads. */
export interface Feature {
  /** The events that re-create this feature's context in a new session, in order (spec §4.4). */
  context?(): Array<[eventType: string, more?: Partial<ApiEvent>]>;
  /** `qoeData` to attach to an event that is being built (spec §6.6). */
  qoe?(eventType: string): ApiEvent['qoeData'] | undefined;
  /** The session is about to end with `eventType` (`sessionComplete` or `sessionEnd`). */
  end?(eventType: string): void;
}

/**
 * Turns the player's events into API events: sessions started on the first `play` of each
 * media item, `play`, `pauseStart`, `bufferStart`, pings, `error`, `sessionComplete` and
 * `sessionEnd`, with restarts after idling, 24 h and a server that lost the session.
 */
export class Playback {
  /** The current or last session of this media item. */
  session: Session | null = null;
  /** The feature modules; their context follows `sessionStart` in this order. */
  features: Feature[] = [];
  #phase = Phase.Idle;
  #frozen = 0;
  #src = '';
  #resumeNext = false;
  #blocked = false;
  #held: ApiEvent | null = null;
  #timers: Partial<Record<Timer, number>> = {};
  #clock = new Clock();
  #restarts = 0;

  #player: Player;
  #config: Config;
  #delivery: Delivery;
  #hooks: PlaybackHooks;

  constructor(
    player: Player,
    config: Config,
    delivery: Delivery,
    hooks: PlaybackHooks,
    on: (type: string, listener: () => void) => void
  ) {
    this.#player = player;
    this.#config = config;
    this.#delivery = delivery;
    this.#hooks = hooks;
    on('play', () => {
      if (this.#phase === Phase.Ended) this.#phase = Phase.Idle;
      this.#autoStart(position(player));
    });
    on('playing', () => {
      this.#settle(true);
      // Browsers fire playing after every seek of a scrub: the settling timer decides.
      if (!this.#held) this.#toPlaying();
    });
    on('pause', () => {
      // video.js pauses at the end of the media (and while the user drags the progress bar,
      // which then is a seek that ends in `play`, as it should be).
      if (atEnd(player) || this.#phase === Phase.Ended) return;
      this.#cancelSettle();
      if (this.#phase === Phase.Seeking) this.#phase = Phase.Paused;
      else if (this.#phase !== Phase.Paused) this.#stop(Phase.Paused, 'pauseStart');
    });
    on('waiting', () => {
      if (this.#phase === Phase.Playing) this.#stop(Phase.Buffering, 'bufferStart');
      else if (this.#phase === Phase.Seeking) this.#cancelSettle();
    });
    on('seeking', () => {
      // The player already reports the seek's target: where it started is extrapolated.
      if (this.#phase === Phase.Playing) this.#stop(Phase.Seeking, 'pauseStart', this.session?.extrapolate());
      else if (this.#phase === Phase.Buffering) this.#stop(Phase.Seeking, 'pauseStart');
      else if (this.#phase === Phase.Seeking) this.#cancelSettle();
    });
    on('seeked', () => {
      if (this.#phase !== Phase.Seeking) return;
      if (player.paused()) {
        this.#phase = Phase.Paused;
      } else {
        this.emit('play', undefined, true);
        this.#later('seek', () => this.#toPlaying(), SEEK_SETTLE);
      }
    });
    on('ended', () => {
      this.#settle(true);
      this.#close('sessionComplete', 'complete');
      this.#phase = Phase.Ended;
    });
    on('error', () => {
      if (!this.closed) {
        this.#settle(true);
        this.emit('error', { qoeData: { 'media.qoe.errorID': errorId(player), 'media.qoe.errorSource': 'player' } });
        // A player error stops playback for good (video.js shows its error display): it ends the session.
        this.#close('sessionEnd', 'error');
      }
      this.#phase = Phase.Idle;
    });
    on('loadstart', () => {
      const src = currentSrc(player);
      if (src === this.#src) return;
      // The player already shows the new media: where the old one stopped is extrapolated.
      this.#close(
        'sessionEnd',
        'source',
        // Before its first frame a session stands where it started (#frozen may be an older item's).
        this.#phase === Phase.Playing
          ? this.session?.extrapolate()
          : this.#phase === Phase.Idle
            ? this.session?.start.playerTime.playhead
            : this.#frozen
      );
      this.session = null;
      this.#src = src;
      this.#blocked = this.#resumeNext = false;
      this.#restarts = 0;
      this.#phase = Phase.Idle;
    });
    for (const type of ['loadedmetadata', 'durationchange']) {
      on(type, () => this.#settle(false));
    }
  }

  /** Whether no session is open, so that a new one may start. */
  get closed(): boolean {
    return !this.session || this.session.closed;
  }

  /** Starts a session at the first play of a media item, if `autoStart` allows. */
  #autoStart(playhead: number): void {
    if (this.#config.autoStart && !this.#blocked && this.closed) this.#begin(this.#resumeNext, playhead);
  }

  /** Pings every `ms` from now on. */
  #pace(ms: number): void {
    this.#clear('ping');
    this.#timers.ping = this.#player.setInterval(() => this.emit('ping'), ms);
  }

  /** Starts a session now, if none is open (`start()`). */
  start(): void {
    if (!this.closed) return;
    this.#blocked = false;
    this.#restarts = 0;
    this.#begin(this.#resumeNext, position(this.#player));
    this.#resend();
  }

  /** Ends the open session and stops tracking until `start()` or a new media item (`end()`). */
  end(reason: EndReason = 'end'): void {
    if (reason === 'end') this.#blocked = true;
    if (this.closed) return;
    this.#close('sessionEnd', reason);
    // A viewer who comes back (bfcache) or plays again after idling continues the same viewing.
    if (reason !== 'end') this.#resumeNext = true;
  }

  /**
   * Replaces the session by a new one with `media.resume: true` and the current playback state
   * (spec §4.4): before Adobe's 24 h limit, or when the server no longer knows the session.
   */
  restart(session: Session | null): void {
    if (!session || session !== this.session || session.closed) return;
    // A seek still settling is over: its play stays with the old session, the new one plays.
    if (this.#held) this.#toPlaying();
    if (session.dead) {
      session.closed = true;
      this.#hooks.ended(session, 'expired');
      // A server that closes every new session at once must not get a storm of them.
      if (++this.#restarts > MAX_RESTARTS) {
        this.#blocked = true;
        return this.#hooks.problem('dropped', `${MAX_RESTARTS} sessions lost: tracking stops until new media or start()`);
      }
    } else {
      this.#close('sessionEnd', 'restart');
    }
    this.#begin(true, this.#playhead());
    this.#resend();
  }

  /** Clears every timer (disposal). */
  dispose(): void {
    for (const name of Object.keys(this.#timers) as Timer[]) this.#clear(name);
  }

  #playhead(): number {
    // Paused, buffering or seeking, the playhead stands where that began; otherwise it is the media's.
    return this.#phase >= Phase.Paused && this.#phase <= Phase.Seeking ? this.#frozen : position(this.#player);
  }

  #begin(resume: boolean, playhead: number): void {
    const session = new Session(currentSrc(this.#player), this.#clock, playhead, resume);
    this.session = session;
    this.#src = session.src;
    this.#resumeNext = false;
    this.#delivery.push(session, session.start, false);
    // Once the media has played, a new session (a restart) cannot wait for a duration.
    this.#settle(this.#phase !== Phase.Idle);
    for (const feature of this.features) for (const [eventType, more] of feature.context?.() ?? []) this.emit(eventType, more);
    this.#pace(this.#config.ping);
    // Until the first frame (or after the end) nothing plays: that is idling too.
    if (this.#phase !== Phase.Playing) this.#watchIdle();
    this.#later('max', () => this.restart(session), MAX_SESSION);
  }

  /**
   * Gives `sessionStart` its params once the duration is known, or now with `force` (first
   * frame, error, end) when it never will be.
   */
  #settle(force: boolean): void {
    const session = this.session;
    if (!session || session.started || session.dead || (!force && isNaN(duration(this.#player)))) return;
    const problems: Problems = { errors: [], warnings: [] };
    const layers: Array<Pick<Config, 'params' | 'customMetadata'>> = [this.#config];
    try {
      const extra = this.#config.metadata?.(this.#player);
      if (extra) {
        layers.push({
          params: checkParams(extra.params, problems, 'metadata().params'),
          customMetadata: checkCustomMetadata(extra.customMetadata, problems, 'metadata().customMetadata')
        });
      }
    } catch (error) {
      problems.errors.push(`the metadata option threw: ${error}`);
    }
    const facts = mediaFacts(this.#player);
    const { params, customMetadata } = sessionStartBody(facts, layers, session.resume, problems);
    problems.warnings.forEach((warning) => this.#hooks.warn(warning));
    requireKeys(params, problems);
    if (problems.errors.length) {
      session.dead = true;
      this.#delivery.discard(session);
      this.#hooks.problem('invalid-options', `no session started: ${problems.errors.join('; ')}`);
      return;
    }
    session.finalize(params, customMetadata, facts.duration === Infinity);
    this.#delivery.release(session.start);
  }

  /** Whether a session is open and alive, so that events can be sent. */
  get active(): boolean {
    return !this.closed && !this.session!.dead;
  }

  /**
   * Builds an event for the open session, with the features' `qoeData`, and queues it;
   * `hold` keeps it back (seek settling). Without an open session it does nothing.
   */
  emit(eventType: string, more?: Partial<ApiEvent>, hold = false, playhead = this.#playhead()): void {
    const session = this.session;
    if (!this.active) return;
    this.#release();
    for (const feature of this.features) {
      const qoeData = feature.qoe?.(eventType);
      if (qoeData) more = { ...more, qoeData: { ...qoeData, ...more?.qoeData } };
    }
    // play always starts from where the media is now (after a seek, a new position).
    const event = session!.event(eventType, eventType === 'play' ? position(this.#player) : playhead, more);
    if (hold) this.#held = event;
    else this.#delivery.push(session!, event);
  }

  #release(): void {
    const held = this.#held;
    this.#held = null;
    if (held && !this.closed) this.#delivery.push(this.session!, held);
  }

  #cancelSettle(): void {
    this.#held = null;
    this.#clear('seek');
  }

  /** Enters a state where the playhead stands still, and starts counting idle time. */
  #stop(phase: Phase, eventType: string, at = position(this.#player)): void {
    this.#frozen = at;
    this.#phase = phase;
    this.emit(eventType);
    this.#watchIdle();
  }

  /** Ends the session once playback has stood still for `idleTimeout` (spec §4.3). */
  #watchIdle(): void {
    // Adobe counts from the last playhead movement it saw, which may lie before this stop.
    const since = Math.max(0, Date.now() - (this.session?.moved ?? Date.now()));
    if (!this.#timers.idle) this.#later('idle', () => this.end('idle'), this.#config.idle - since);
  }

  #toPlaying(): void {
    this.#clear('idle');
    this.#clear('seek');
    if (this.#held) this.#release();
    else if (this.#phase !== Phase.Playing) this.emit('play');
    this.#phase = Phase.Playing;
  }

  /** Sends the current playback state (after a start or restart). */
  #resend(): void {
    // By Phase: Idle, Playing, Paused, Buffering, Seeking (Ended sends nothing).
    const event = ['', 'play', 'pauseStart', 'bufferStart', 'pauseStart'][this.#phase];
    if (event) this.emit(event);
    if (event && this.#phase !== Phase.Playing) this.#watchIdle();
  }

  #close(eventType: 'sessionEnd' | 'sessionComplete', reason: EndReason, playhead?: number): void {
    const session = this.session;
    if (!session || this.closed) return;
    const started = session.started && !session.dead;
    // Without a duration nothing has played: the session is dropped, there is nothing to report.
    if (started) {
      for (const feature of this.features) feature.end?.(eventType);
      this.emit(eventType, undefined, false, playhead);
    }
    else this.#delivery.discard(session);
    session.closed = true;
    this.#held = null;
    this.dispose();
    if (started) this.#hooks.ended(session, reason);
  }

  #later(name: Timer, fn: () => void, ms: number): void {
    this.#clear(name);
    this.#timers[name] = this.#player.setTimeout(() => {
      delete this.#timers[name];
      fn();
    }, ms);
  }

  #clear(name: Timer): void {
    this.#player.clearTimeout(this.#timers[name]!);
    this.#player.clearInterval(this.#timers[name]!);
    delete this.#timers[name];
  }
}
