import type Player from 'video.js/dist/types/player';
import type { ApiEvent, Delivery, DeliveryHooks } from './delivery';
import { checkCustomMetadata, checkParams, isObject, requireKeys, type Config, type Params, type Problems } from './options';
import { derivedParams } from './params';
import { atEnd, currentSrc, duration, errorId, mediaFacts, position } from './player-facts';
import { createClock, createSession, type EndReason, type Session } from './session';

/** Where main-content playback is, as far as the API is concerned. */
const enum Phase {
  Idle,
  Playing,
  Paused,
  Buffering,
  Seeking,
  Ended,
  Ad
}

/**
 * What the parts of one tracker share: the player and options, the delivery and playback, and
 * how they tell the plugin what happened. Listening ends with the plugin, and nothing a listener
 * does can throw into the page.
 */
export interface Host extends DeliveryHooks {
  player: Player;
  config: Config;
  delivery: Delivery;
  playback: Playback;
  /** Listens to `types` (separated by spaces) until the plugin is disposed. */
  listen(target: object, types: string, listener: (event: Event) => void): void;
  warn(message: string): void;
  /** A session ended (`mediacollection:sessionend`). */
  ended(session: Session, reason: EndReason): void;
  /** `qoeData` to attach to an event that is being built (spec §6.6): the quality feature's. */
  qoe?(eventType: string): ApiEvent['qoeData'] | undefined;
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
  /** The session is about to end with `eventType` (`sessionComplete` or `sessionEnd`). */
  end?(eventType: string): void;
  /** A new media item is loading. */
  reset?(): void;
}

/**
 * Turns the player's events into API events: sessions started on the first `play` of each
 * media item, `play`, `pauseStart`, `bufferStart`, pings, `error`, `sessionComplete` and
 * `sessionEnd`, with restarts after idling, 24 h and a server that lost the session.
 */
export function createPlayback(hooks: Omit<Host, 'playback'>) {
  const { player, config, delivery } = hooks;
  const on = (type: string, listener: () => void) => hooks.listen(player, type, listener);
  /** The current or last session of this media item. */
  let session: Session | null = null;
  let phase = Phase.Idle;
  let frozen = 0;
  let before = Phase.Idle;
  let src = '';
  let resumeNext = false;
  let blocked = false;
  // Consent was denied: nothing is tracked, whatever the media, until it is granted.
  let denied = false;
  let held: ApiEvent | null = null;
  const timers: Partial<Record<Timer, number>> = {};
  const clock = createClock();
  let restarts = 0;
  /** The feature modules; their context follows `sessionStart` in this order. */
  const features: Feature[] = [];

  const later = (name: Timer, fn: () => void, ms: number) => {
    clear(name);
    timers[name] = player.setTimeout(() => {
      delete timers[name];
      fn();
    }, ms);
  };

  const clear = (name: Timer) => {
    player.clearTimeout(timers[name]!);
    player.clearInterval(timers[name]!);
    delete timers[name];
  };

  // Paused, buffering or seeking, the playhead stands where that began; otherwise it is the media's.
  const playhead = () => (phase >= Phase.Paused && phase <= Phase.Seeking) || phase === Phase.Ad ? frozen : position(player);

  const begin = (resume: boolean, at: number) => {
    const next = (session = createSession(currentSrc(player), clock, at, resume));
    src = next.src;
    resumeNext = false;
    delivery.push(next, next.opening, false);
    // Once the media has played, a new session (a restart) cannot wait for a duration.
    settle(phase !== Phase.Idle);
    for (const feature of features) for (const [eventType, more] of feature.context?.() ?? []) self.emit(eventType, more);
    self.pace(config.ping);
    // Until the first frame (or after the end) nothing plays: that is idling too.
    if (phase !== Phase.Playing) watchIdle();
    later('max', () => self.restart(next), MAX_SESSION);
  };

  /**
   * Gives `sessionStart` its params once the duration is known, or now with `force` (first
   * frame, error, end) when it never will be.
   */
  const settle = (force: boolean) => {
    if (!session || session.started || session.dead || (!force && isNaN(duration(player)))) return;
    const problems: Problems = { errors: [], warnings: [] };
    const facts = mediaFacts(player);
    // Derived values, then the options, then what the metadata option returns, each winning
    // over the one before. Custom fields that are not an object are the site's business.
    const params = derivedParams(facts);
    const fields = facts.mediainfo.custom_fields;
    const customMetadata = checkCustomMetadata(isObject(fields) ? fields : undefined, problems, 'mediainfo.custom_fields');
    const layer = (more: Params, metadata: Record<string, string>) => {
      Object.assign(params, more);
      Object.assign(customMetadata, metadata);
    };
    layer(config.params, config.customMetadata);
    try {
      const extra = config.metadata?.(player);
      if (extra) {
        layer(
          checkParams(extra.params, problems, 'metadata().params'),
          checkCustomMetadata(extra.customMetadata, problems, 'metadata().customMetadata')
        );
      }
    } catch (error) {
      problems.errors.push(`metadata() threw: ${error}`);
    }
    if (session.resume) params['media.resume'] = true;
    problems.warnings.forEach(hooks.warn);
    requireKeys(params, problems);
    if (problems.errors.length) {
      session.dead = true;
      delivery.discard(session);
      return hooks.problem('invalid-options', `no session started: ${problems.errors.join('; ')}`);
    }
    session.finalize(params, customMetadata, facts.duration === Infinity);
    delivery.release(session.opening);
  };

  const release = () => {
    const event = held;
    held = null;
    if (event && !self.closed) delivery.push(session!, event);
  };

  const cancelSettle = () => {
    held = null;
    clear('seek');
  };

  /** Enters a state where the playhead stands still, and starts counting idle time. */
  const stop = (next: Phase, eventType: string, at = position(player)) => {
    frozen = at;
    phase = next;
    self.emit(eventType);
    watchIdle();
  };

  /** Ends the session once playback has stood still for `idleTimeout` (spec §4.3). */
  const watchIdle = () => {
    // Adobe counts from the last playhead movement it saw, which may lie before this stop.
    const since = Math.max(0, Date.now() - (session?.moved ?? Date.now()));
    if (!timers.idle) later('idle', () => self.end('idle'), config.idle - since);
  };

  const toPlaying = () => {
    clear('idle');
    clear('seek');
    if (held) release();
    else if (phase !== Phase.Playing) self.emit('play');
    phase = Phase.Playing;
  };

  /** Sends the current playback state (after a start or restart). */
  const resend = () => {
    // By Phase: Idle, Playing, Paused, Buffering, Seeking (Ended and Ad send nothing).
    const event = ['', 'play', 'pauseStart', 'bufferStart', 'pauseStart'][phase];
    if (event) self.emit(event);
    if (event && phase !== Phase.Playing) watchIdle();
  };

  const close = (eventType: 'sessionEnd' | 'sessionComplete', reason: EndReason, at?: number) => {
    const closing = session;
    if (!closing || self.closed) return;
    const started = closing.started && !closing.dead;
    // Without a duration nothing has played: the session is dropped, there is nothing to report.
    if (started) {
      for (const feature of features) feature.end?.(eventType);
      self.emit(eventType, undefined, false, at);
    } else delivery.discard(closing);
    closing.closed = true;
    held = null;
    self.dispose();
    if (started) hooks.ended(closing, reason);
  };

  const self = {
    features,

    /** The current or last session of this media item. */
    get session(): Session | null {
      return session;
    },

    /** Whether no session is open, so that a new one may start. */
    get closed(): boolean {
      return !session || session.closed;
    },

    /** Whether a session is open and alive, so that events can be sent. */
    get active(): boolean {
      return !self.closed && !session!.dead;
    },

    /** Whether an ad break is on: the content playhead stands still. */
    get inBreak(): boolean {
      return phase === Phase.Ad;
    },

    /** Starts a session at the first play of a media item, if `autoStart` allows. */
    autoStart(at: number): void {
      if (config.autoStart && !blocked && self.closed) begin(resumeNext, at);
    },

    /**
     * An ad break begins: the content playhead stands still at `at` (spec §4.6) and the break is
     * not idling. `exitBreak` ends it; the content's next `playing` sends `play`.
     */
    enterBreak(at: number): void {
      cancelSettle();
      clear('idle');
      if (phase !== Phase.Ad) before = phase;
      frozen = at;
      phase = Phase.Ad;
    },

    /**
     * The ad break is over. After ads, `play` follows: at the content's next `playing`, or now
     * when the ads were `stitched` into content that plays on (server-side ads). A break without
     * ads changes nothing.
     */
    exitBreak(played: boolean, stitched?: boolean): void {
      if (phase !== Phase.Ad) return;
      phase = played ? Phase.Paused : before;
      if (played && stitched && !player.paused()) toPlaying();
    },

    /** Pings every `ms` from now on (1 s during ads, as an option). */
    pace(ms: number): void {
      clear('ping');
      timers.ping = player.setInterval(() => self.emit('ping'), ms);
    },

    /** Starts a session now, if none is open and consent was not denied (`start()`). */
    start(): void {
      if (!self.closed || denied) return;
      blocked = false;
      restarts = 0;
      begin(resumeNext, position(player));
      resend();
    },

    /**
     * Consent denied: the session ends and nothing is tracked. Granted again: tracking goes on,
     * now if the media plays, else at its next play.
     */
    consent(granted: boolean): void {
      denied = !granted;
      if (denied) return self.end();
      blocked = false;
      if (!player.paused()) self.start();
    },

    /** Ends the open session and stops tracking until `start()` or a new media item (`end()`). */
    end(reason: EndReason = 'end'): void {
      if (reason === 'end') blocked = true;
      if (self.closed) return;
      close('sessionEnd', reason);
      // A viewer who comes back (bfcache) or plays again after idling continues the same viewing.
      if (reason !== 'end') resumeNext = true;
    },

    /**
     * Replaces the session by a new one with `media.resume: true` and the current playback state
     * (spec §4.4): before Adobe's 24 h limit, or when the server no longer knows the session.
     */
    restart(old: Session | null): void {
      if (!old || old !== session || old.closed) return;
      // A seek still settling is over: its play stays with the old session, the new one plays.
      if (held) toPlaying();
      if (old.dead) {
        old.closed = true;
        hooks.ended(old, 'expired');
        // A server that closes every new session at once must not get a storm of them.
        if (++restarts > MAX_RESTARTS) {
          blocked = true;
          return hooks.problem('dropped', `${MAX_RESTARTS} sessions lost: stopped until new media or start()`);
        }
      } else {
        close('sessionEnd', 'restart');
      }
      begin(true, playhead());
      resend();
    },

    /** Clears every timer (disposal). */
    dispose(): void {
      for (const name in timers) clear(name as Timer);
    },

    /**
     * Builds an event for the open session, with the quality feature's `qoeData`, and queues it;
     * `hold` keeps it back (seek settling). Without an open session it does nothing.
     */
    emit(eventType: string, more?: Partial<ApiEvent>, hold = false, at = playhead()): void {
      if (!self.active) return;
      release();
      const qoeData = hooks.qoe?.(eventType);
      if (qoeData) more = { ...more, qoeData: { ...qoeData, ...more?.qoeData } };
      // play always starts from where the media is now (after a seek, a new position).
      const event = session!.event(eventType, eventType === 'play' ? position(player) : at, more);
      if (hold) held = event;
      else delivery.push(session!, event);
    }
  };

  on('play', () => {
    if (phase === Phase.Ended) phase = Phase.Idle;
    self.autoStart(position(player));
  });
  on('playing', () => {
    settle(true);
    // Browsers fire playing after every seek of a scrub: the settling timer decides.
    if (!held) toPlaying();
  });
  on('pause', () => {
    // video.js pauses at the end of the media (and while the user drags the progress bar,
    // which then is a seek that ends in `play`, as it should be).
    if (atEnd(player) || phase === Phase.Ended) return;
    cancelSettle();
    if (phase === Phase.Seeking) phase = Phase.Paused;
    else if (phase !== Phase.Paused) stop(Phase.Paused, 'pauseStart');
  });
  on('waiting', () => {
    if (phase === Phase.Playing) stop(Phase.Buffering, 'bufferStart');
    else if (phase === Phase.Seeking) cancelSettle();
  });
  on('seeking', () => {
    // The player already reports the seek's target: where it started is extrapolated.
    if (phase === Phase.Playing) stop(Phase.Seeking, 'pauseStart', session?.extrapolate());
    else if (phase === Phase.Buffering) stop(Phase.Seeking, 'pauseStart');
    else if (phase === Phase.Seeking) cancelSettle();
  });
  on('seeked', () => {
    if (phase !== Phase.Seeking) return;
    if (player.paused()) {
      phase = Phase.Paused;
    } else {
      self.emit('play', undefined, true);
      later('seek', toPlaying, SEEK_SETTLE);
    }
  });
  on('ended', () => {
    settle(true);
    close('sessionComplete', 'complete');
    phase = Phase.Ended;
  });
  on('error', () => {
    if (!self.closed) {
      settle(true);
      self.emit('error', { qoeData: { 'media.qoe.errorID': errorId(player), 'media.qoe.errorSource': 'player' } });
      // A player error stops playback for good (video.js shows its error display): it ends the session.
      close('sessionEnd', 'error');
    }
    phase = Phase.Idle;
  });
  on('loadstart', () => {
    const next = currentSrc(player);
    if (next === src) return;
    // The player already shows the new media: where the old one stopped is extrapolated.
    close(
      'sessionEnd',
      'source',
      // Before its first frame a session stands where it started (frozen may be an older item's).
      phase === Phase.Playing ? session?.extrapolate() : phase === Phase.Idle ? session?.opening.playerTime.playhead : frozen
    );
    session = null;
    src = next;
    blocked = denied;
    resumeNext = false;
    restarts = 0;
    phase = Phase.Idle;
    for (const feature of features) feature.reset?.();
  });
  // With ads, the content's metadata may only come while it is restored after a pre-roll.
  // contrib-ads does not rename the first loadedmetadata of a player when it is a pre-roll's:
  // during a break, only the content's own (renamed) events count.
  on('loadedmetadata durationchange', () => phase === Phase.Ad || settle(false));
  on('contentloadedmetadata contentdurationchange', () => settle(false));
  return self;
}

/** The playback tracking of one tracker. */
export type Playback = ReturnType<typeof createPlayback>;
