import type Player from 'video.js/dist/types/player';
import type { Delivery, Target } from './delivery';
import type { EventFields, EventType, QoeFields, TrackedEvent } from './events';
import type { Config } from './options';
import { sessionParams, type Extra } from './params';
import { atEnd, currentSrc, duration, errorId, mediaFacts, position } from './player-facts';
import { createClock, createSession, type EndReason, type Playhead, type Session } from './session';

/**
 * Where playback is, as far as the API is concerned: `idle` before the first frame of a
 * session, `resuming` while the content is restored after an ad break, `ended` once the content
 * is complete. In an ad break, the phase is the ad's.
 */
type Phase = 'idle' | 'playing' | 'paused' | 'buffering' | 'seeking' | 'resuming' | 'ended';

/** The event that reports each phase to the API (a seek is a pause, spec §4.5). */
const STATE_EVENTS: Partial<Record<Phase, EventType>> = {
  playing: 'play',
  paused: 'pauseStart',
  seeking: 'pauseStart',
  buffering: 'bufferStart'
};

/** The phases in which the playhead stands still. */
const STILL: Phase[] = ['paused', 'buffering', 'seeking', 'resuming'];

/** How an ad break ends (`exitBreak`). */
export type BreakEnd =
  /** No ad was sent: nothing changes for the API. */
  | 'no-ads'
  /** The ads played in the content's element, which now loads the content again (contrib-ads). */
  | 'restore'
  /** The ads were stitched into content that plays on (server-side ads, the tracker API). */
  | 'stitched';

/** The codes of `mediacollection:error` (see the README's events table). */
export type ProblemCode = 'invalid-options' | 'invalid-argument' | 'rejected' | 'dropped' | 'internal';

/**
 * What every part of one tracker gets from the plugin: the player and options, and how to
 * listen and report. Listening ends with the plugin, and nothing a listener does can throw into
 * the page.
 */
export interface Context {
  player: Player;
  config: Config;
  /** Listens to `types` (separated by spaces) until the plugin is disposed. */
  listen(target: object, types: string, listener: (event: Event) => void): void;
  warn(message: string): void;
  /** Logs an error and triggers `mediacollection:error`. */
  problem(code: ProblemCode, message: string): void;
}

/** What playback needs besides the context: where events go, and whom to tell that a session ended. */
export interface PlaybackDeps extends Context {
  delivery: Delivery;
  /** What the `metadata` option gives for a session starting now (it is called with the player). */
  metadata(): Extra;
  /** A session ended (`mediacollection:sessionend`). */
  ended(session: Session, reason: EndReason): void;
}

/** What a feature (ads, chapters, states, quality) gets: the context and playback. */
export interface FeatureDeps extends Context {
  playback: Playback;
}

/** A scrub is many seeks; `play` waits this long (ms) after the last one (spec §4.5). */
export const SEEK_SETTLE = 300;
/** Sessions are ended and resumed before Adobe's 24 h limit (spec §4.2): 23 h 59 min. */
export const MAX_SESSION = 86340000;
/**
 * After an ad break, how long (ms) the content may take to play again before the plugin reports
 * it as paused (the player is paused) or buffering (it is loading).
 */
export const RESUME_WAIT = 3000;
/**
 * After a player error, how long (ms) the session waits for the same media to play again before
 * it takes the error as final and ends the session (spec §3.2: `error` does not end a session).
 */
export const ERROR_RECOVERY = 60000;

/** Sessions of one media item the server may close (404/410) before the plugin stops resuming them. */
export const MAX_RESTARTS = 5;

type Timer = 'ping' | 'idle' | 'seek' | 'max' | 'resume' | 'recover';

/** A module beside playback that adds its own events: player states, quality data, chapters, ads. */
export interface Feature {
  /** The events that re-create this feature's context in a new session, in order (spec §4.4). */
  context?(): Array<[type: EventType, fields?: EventFields]>;
  /** Quality data to attach to an event of `type` that is being built (spec §6.6). */
  qoe?(type: EventType): QoeFields | undefined;
  /** The content is about to play (`play`): what must precede it goes out now. */
  beforePlay?(): void;
  /** The session is about to end with `type` (`sessionComplete` or `sessionEnd`). */
  end?(type: EventType): void;
  /** A new media item is loading. */
  reset?(): void;
}

/**
 * Turns the player's events into API events: sessions started on the first `play` of each
 * media item, `play`, `pauseStart`, `bufferStart`, pings, `error`, `sessionComplete` and
 * `sessionEnd`, with restarts after idling, 24 h and a server that lost the session.
 */
export function createPlayback(deps: PlaybackDeps) {
  const { player, config, delivery } = deps;
  const on = (type: string, listener: () => void) => deps.listen(player, type, listener);
  /** The current or last session of this media item. */
  let session: Session | null = null;
  let phase: Phase = 'idle';
  /** Where the playhead stands still while the phase is not `playing` or `idle`. */
  let frozen: Playhead = { position: 0 };
  /** Where the content playhead stands during an ad break, or null outside one. */
  let breakAt: Playhead | null = null;
  let before: Phase = 'idle';
  /** An ad is open in the break (between its `adStart` and its end): its playback is reported. */
  let adOpen = false;
  let src = '';
  let resumeNext = false;
  let blocked = false;
  // Consent was denied: nothing is tracked, whatever the media, until it is granted.
  let denied = false;
  /** The `play` that ends a seek, kept back until the scrub has settled. */
  let held: TrackedEvent | null = null;
  const timers: Partial<Record<Timer, number>> = {};
  const clock = createClock();
  let restarts = 0;
  /** The feature modules (`use`); their context follows `sessionStart` in this order. */
  const features: Feature[] = [];

  /** The quality data of the features for an event of `type`, as event fields. */
  const qoe = (type: EventType): EventFields | undefined => {
    const data = features.reduce<QoeFields | undefined>((all, feature) => {
      const more = feature.qoe?.(type);
      return more ? { ...all, ...more } : all;
    }, undefined);
    return data && { qoe: data };
  };

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

  // In a break the content stands where it began (spec §4.6); paused, buffering, seeking or
  // resuming, where that began; otherwise it is the media's.
  const playhead = (): Playhead => breakAt ?? (STILL.includes(phase) ? frozen : { position: position(player) });

  /** Whether state changes are reported now: not in a break's gaps, where no ad is open. */
  const reporting = () => !breakAt || adOpen;

  const begin = (resume: boolean, at: Playhead) => {
    // A session that starts while playback stands still stands where it starts.
    if (STILL.includes(phase)) frozen = at;
    const next = (session = createSession(currentSrc(player), clock, at, resume));
    src = next.src;
    resumeNext = false;
    delivery.push(next, next.opening, false);
    // Once the media has played, a new session (a restart) cannot wait for a duration.
    describe(phase !== 'idle');
    for (const feature of features) for (const [eventType, more] of feature.context?.() ?? []) self.emit(eventType, more);
    self.pace(config.ping);
    // Until the first frame (or after the end) nothing plays: that is idling too.
    if (phase !== 'playing') watchIdle();
    later('max', () => self.restart(next), MAX_SESSION);
  };

  /**
   * Gives `sessionStart` its params once the duration is known, or now with `force` (first
   * frame, error, end) when it never will be.
   */
  const describe = (force: boolean) => {
    if (!session || session.described || session.dead || (!force && isNaN(duration(player)))) return;
    const facts = mediaFacts(player);
    const { media, errors, warnings } = sessionParams(facts, config, deps.metadata(), session.resume);
    warnings.forEach(deps.warn);
    if (!media) {
      session.dead = true;
      delivery.discard(session);
      return deps.problem('invalid-options', `no session started: ${errors.join('; ')}`);
    }
    session.describe(media.params, media.customMetadata, facts.duration === Infinity);
    delivery.ready(session.opening);
  };

  /** Sends the `play` of a seek that was kept back. */
  const sendHeld = () => {
    const event = held;
    held = null;
    if (event && !self.closed) delivery.push(session!, event);
  };

  /** Forgets the `play` of a seek that was kept back: playback stopped again before it settled. */
  const dropHeld = () => {
    held = null;
    clear('seek');
  };

  /** The playhead stands still from now, at `at`. */
  const freeze = (at = position(player)) => (frozen = { position: at, since: Date.now() });

  /** Enters a state where the playhead stands still, reports it, and starts counting idle time. */
  const stop = (next: Phase, at?: number) => {
    freeze(at);
    phase = next;
    if (reporting()) self.emit(STATE_EVENTS[next]!);
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
    clear('resume');
    clear('recover');
    if (held) sendHeld();
    else if (phase !== 'playing' && reporting()) self.emit('play');
    phase = 'playing';
  };

  /** Reports the current state, whatever was sent before (after a start, a restart, an ad start or a break). */
  const report = () => {
    const event = STATE_EVENTS[phase];
    if (event) self.emit(event);
    if (phase !== 'playing') watchIdle();
  };

  const close = (type: 'sessionEnd' | 'sessionComplete', reason: EndReason, at?: number) => {
    const closing = session;
    if (!closing || self.closed) return;
    const described = closing.described && !closing.dead;
    // Without a duration nothing has played: the session is dropped, there is nothing to report.
    if (described) {
      for (const feature of features) feature.end?.(type);
      self.emit(type, undefined, at);
    } else delivery.discard(closing);
    closing.closed = true;
    held = null;
    self.dispose();
    if (described) deps.ended(closing, reason);
  };

  const self = {
    /** Adds the features, in the order their context follows `sessionStart` (spec §4.4). */
    use(...more: Feature[]): void {
      features.push(...more);
    },

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
      return !!breakAt;
    },

    /** Starts a session at the first play of a media item, if `autoStart` allows. */
    autoStart(at: number): void {
      if (config.autoStart && !blocked && self.closed) begin(resumeNext, { position: at, since: Date.now() });
    },

    /**
     * An ad break begins: the content playhead stands still at `at` (spec §4.6). From here to
     * `exitBreak`, the phase follows the ads, and it is reported while an ad is open.
     */
    enterBreak(at: number): void {
      dropHeld();
      clear('resume');
      if (!breakAt) before = phase;
      breakAt = { position: at, since: Date.now() };
      adOpen = false;
    },

    /** An ad started (`adStart` was sent): its state is reported at once (as Adobe's SDKs do). */
    adStarted(): void {
      adOpen = true;
      report();
    },

    /** The open ad ended: what the player does until the next ad starts is not reported. */
    adEnded(): void {
      adOpen = false;
    },

    /** The ad break is over: the state of playback is reported again (see {@link BreakEnd}). */
    exitBreak(how: BreakEnd): void {
      if (!breakAt) return;
      const at = breakAt;
      breakAt = null;
      adOpen = false;
      if (how === 'no-ads') {
        phase = before;
        return;
      }
      if (phase === 'playing' && how === 'restore') {
        // The player loads the content again: `play` comes with its first frame, or, if that
        // takes long, the state it is in then.
        frozen = at;
        phase = 'resuming';
        watchIdle();
        later('resume', () => stop(player.paused() ? 'paused' : 'buffering', at.position), RESUME_WAIT);
        return;
      }
      if (phase !== 'playing') frozen = at;
      report();
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
      begin(resumeNext, playhead());
      report();
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
    restart(target: Target): void {
      const old = session;
      if (!old || target !== old || old.closed) return;
      // A seek still settling is over: its play stays with the old session, the new one plays.
      if (held) toPlaying();
      if (old.dead) {
        old.closed = true;
        deps.ended(old, 'expired');
        // A server that closes every new session at once must not get a storm of them.
        if (++restarts > MAX_RESTARTS) {
          blocked = true;
          return deps.problem('dropped', `${MAX_RESTARTS} sessions lost: stopped until new media or start()`);
        }
      } else {
        close('sessionEnd', 'restart');
      }
      begin(true, playhead());
      if (reporting()) report();
    },

    /** Clears every timer (disposal). */
    dispose(): void {
      for (const name in timers) clear(name as Timer);
    },

    /**
     * Builds an event for the open session, with the quality feature's `qoeData`, and queues it.
     * `at` is the content position (s) when it is not the playhead's. Without an open session it
     * does nothing.
     */
    emit(type: EventType, fields?: EventFields, at?: number): void {
      if (!self.active) return;
      sendHeld();
      // The content's play: what belongs before it (the chapter it plays in) goes first.
      const content = type === 'play' && !breakAt;
      if (content) for (const feature of features) feature.beforePlay?.();
      // The content's play starts from where the media is now (after a seek, a new position).
      const where = content ? { position: position(player) } : at === undefined ? playhead() : { position: at };
      delivery.push(session!, session!.event(type, where, { ...fields, ...qoe(type) }));
    },

    /** Builds the `play` that ends a seek and keeps it back until the scrub has settled. */
    hold(): void {
      if (!self.active) return;
      sendHeld();
      held = session!.event('play', { position: position(player) }, qoe('play'));
    },

    /** The player (or the ad in it) plays. */
    playing(): void {
      // The first frame gives the content's duration; an ad's frame does not.
      if (!breakAt) describe(true);
      // Browsers fire playing after every seek of a scrub: the settling timer decides.
      if (!held) toPlaying();
    },

    /** The player (or the ad in it) paused. */
    paused(): void {
      // video.js pauses at the end of the media (and while the user drags the progress bar,
      // which then is a seek that ends in `play`, as it should be). A pause while the player
      // shows an error is the error's, which was reported.
      if (atEnd(player) || phase === 'ended' || errorId(player)) return;
      dropHeld();
      if (phase === 'seeking') phase = 'paused';
      // While the content is restored after a break, it still stands where the break began.
      else if (phase !== 'paused') stop('paused', phase === 'resuming' ? frozen.position : undefined);
    },

    /** The player (or the ad in it) stalls. */
    waiting(): void {
      if (phase === 'playing') stop('buffering');
      else if (phase === 'seeking') dropHeld();
    }
  };

  on('play', () => {
    if (phase === 'ended') phase = 'idle';
    self.autoStart(position(player));
  });
  on('playing', self.playing);
  on('pause', self.paused);
  on('waiting', self.waiting);
  on('seeking', () => {
    // The content stands still through a break, seeks included.
    if (breakAt) return;
    // The player already reports the seek's target: where it started is extrapolated.
    if (phase === 'playing') stop('seeking', session?.extrapolate());
    else if (phase === 'buffering') stop('seeking');
    else if (phase === 'seeking') dropHeld();
  });
  on('seeked', () => {
    if (phase !== 'seeking') return;
    if (player.paused()) {
      phase = 'paused';
    } else {
      self.hold();
      later('seek', toPlaying, SEEK_SETTLE);
    }
  });
  on('ended', () => {
    describe(true);
    close('sessionComplete', 'complete');
    phase = 'ended';
  });
  on('error', () => {
    if (self.closed) {
      phase = 'idle';
      return;
    }
    describe(true);
    // Playing stops: the playhead stands still, and the wait counts as a stall, not as content.
    const stalled = phase === 'playing';
    if (stalled) {
      freeze();
      phase = 'buffering';
    }
    self.emit('error', { error: { id: errorId(player) || 'unknown', source: 'player' } });
    if (stalled && reporting()) self.emit('bufferStart');
    watchIdle();
    // An error does not end the session (spec §3.2): the same media playing again continues it.
    // Only when it does not play again does the error count as final.
    later('recover', () => self.end('error'), ERROR_RECOVERY);
  });
  on('loadstart', () => {
    const next = currentSrc(player);
    if (next === src) return;
    // The player already shows the new media: where the old one stopped is extrapolated.
    close(
      'sessionEnd',
      'source',
      // Before its first frame a session stands where it started (frozen may be an older item's).
      phase === 'playing' ? session?.extrapolate() : phase === 'idle' ? session?.opening.playhead : undefined
    );
    session = null;
    src = next;
    blocked = denied;
    resumeNext = false;
    restarts = 0;
    phase = 'idle';
    breakAt = null;
    for (const feature of features) feature.reset?.();
  });
  // With ads, the content's metadata may only come while it is restored after a pre-roll.
  // contrib-ads does not rename the first loadedmetadata of a player when it is a pre-roll's:
  // during a break, only the content's own (renamed) events count.
  on('loadedmetadata durationchange', () => breakAt || describe(false));
  on('contentloadedmetadata contentdurationchange', () => describe(false));
  return self;
}

/** The playback tracking of one tracker. */
export type Playback = ReturnType<typeof createPlayback>;
