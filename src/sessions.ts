import type { Context, Feature } from './context';
import type { Delivery, Target } from './delivery';
import type { EventFields, EventType, QoeFields, TrackedEvent } from './events';
import { sessionParams, type Extra } from './params';
import { createClock, createSession, type EndReason, type Playhead, type Session } from './session';
import type { Timers } from './timers';

/** Sessions are ended and resumed before Adobe's 24 h limit (spec §4.2): 23 h 59 min. */
export const MAX_SESSION = 86340000;

/** Sessions of one media item the server may close (404/410) before the plugin stops resuming them. */
export const MAX_RESTARTS = 5;

/** Where playback stands, as the phase machine (playback.ts) knows it. */
export interface Stance {
  /** Where the content stands for an event built now. */
  playhead(): Playhead;
  /** Whether the media has shown a frame in this viewing (a new session cannot wait for a duration). */
  begun(): boolean;
  /** Whether it plays now (a stop counts as idling). */
  playing(): boolean;
  /** Whether an ad break is on: the content's `play` is not the ad's. */
  inBreak(): boolean;
  /** A session starts at `at` while playback stands still: it stands there. */
  standAt(at: Playhead): void;
  /** Sends the current state, if it is reported now (after a start or a restart). */
  report(): void;
  /** A seek still settling is over (a restart: its `play` stays with the old session). */
  settleSeek(): void;
}

/** What the sessions need besides the context. */
export interface SessionsDeps extends Context {
  delivery: Delivery;
  /** The timers of playback, all cleared when a session closes. */
  timers: Timers;
  /** What the `metadata` option gives for a session starting now (it is called with the player). */
  metadata(): Extra;
  /** A session ended (`mediacollection:sessionend`). */
  ended(session: Session, reason: EndReason): void;
}

/**
 * The life of the sessions of one tracker (spec §2, §4): a session begins at the first `play` of
 * a media item (or `start()`), gets its params once the duration is known, pings, ends after
 * `idleTimeout` of standing still, is ended and resumed before 24 h and when the server lost it,
 * and ends with the media, `end()`, consent denied, the page or the player. Every event of a
 * session is built here, with the features' quality data, and queued for delivery.
 */
export function createSessions(deps: SessionsDeps, stance: Stance) {
  const { player, config, delivery, timers } = deps;
  /** The current or last session of this media item. */
  let session: Session | null = null;
  let src = '';
  /** The next session continues an earlier viewing (`media.resume`). */
  let resumeNext = false;
  /** Tracking stopped (`end()`, too many lost sessions) until `start()` or new media. */
  let blocked = false;
  /** Consent was denied: nothing is tracked, whatever the media, until it is granted. */
  let denied = false;
  let restarts = 0;
  /** An event built now and kept back (the `play` of a seek until the scrub settles). */
  let held: TrackedEvent | null = null;
  const clock = createClock();
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

  /** Begins a session at `at`; `resume`: it continues an earlier one (`media.resume`). */
  const begin = (at: Playhead, resume: boolean) => {
    stance.standAt(at);
    const next = (session = createSession(player.src(), clock, at, { resume }));
    src = next.src;
    resumeNext = false;
    delivery.pushWaiting(next, next.opening);
    // Once the media has played, a new session (a restart) cannot wait for a duration.
    self.describe(stance.begun() ? 'now' : 'with-duration');
    for (const feature of features) for (const [type, fields] of feature.context?.() ?? []) self.emit(type, fields);
    self.pace(config.ping);
    // Until the first frame (or after the end) nothing plays: that is idling too.
    if (!stance.playing()) self.watchIdle();
    timers.later('max', () => self.restart(next), MAX_SESSION);
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

    /** Whether an event is kept back. */
    get holding(): boolean {
      return !!held;
    },

    /**
     * Gives `sessionStart` its params once the duration is known (`with-duration`), or `now`
     * (first frame, error, end) when it never will be.
     */
    describe(when: 'with-duration' | 'now'): void {
      if (!session || session.described || session.dead || (when === 'with-duration' && isNaN(player.duration()))) return;
      const facts = player.facts();
      const { media, errors, warnings } = sessionParams(facts, config, deps.metadata(), session.resume);
      warnings.forEach(deps.warn);
      if (!media) {
        session.dead = true;
        delivery.discard(session);
        return deps.problem('invalid-options', `no session started: ${errors.join('; ')}`);
      }
      session.describe(media.params, media.customMetadata, facts.duration === Infinity ? 'live' : 'vod');
      delivery.ready(session.opening);
    },

    /** Starts a session at the first play of a media item, if `autoStart` allows. */
    autoStart(at: number): void {
      if (config.autoStart && !blocked && self.closed) begin({ position: at, since: Date.now() }, resumeNext);
    },

    /** Starts a session now, if none is open and consent was not denied (`start()`). */
    start(): void {
      if (!self.closed || denied) return;
      blocked = false;
      restarts = 0;
      begin(stance.playhead(), resumeNext);
      stance.report();
    },

    /**
     * Consent denied: the session ends and nothing is tracked. Granted again: tracking goes on,
     * now if the media plays, else at its next play.
     */
    consent(state: 'granted' | 'denied'): void {
      denied = state === 'denied';
      if (denied) return self.end();
      blocked = false;
      if (!player.paused()) self.start();
    },

    /**
     * Sends `type` (`sessionEnd`, or `sessionComplete` at the end of the content) and closes the
     * session; `at` is where it ends when that is not the playhead.
     */
    close(type: 'sessionEnd' | 'sessionComplete', reason: EndReason, at?: number): void {
      const closing = session;
      if (!closing || self.closed) return;
      const described = closing.described && !closing.dead;
      // Without a duration nothing has played: the session is dropped, there is nothing to report.
      if (!described) delivery.discard(closing);
      else for (const feature of features) feature.end?.(type);
      const last = described ? self.build(type, undefined, at) : null;
      // Closed before its last event is queued: when Firefox cuts the page-close script short
      // after this (it does now and then), the listener that finishes the close sends nothing twice.
      closing.closed = true;
      held = null;
      timers.clearAll();
      if (last) {
        delivery.push(closing, last);
        deps.ended(closing, reason);
      }
    },

    /** Ends the open session and stops tracking until `start()` or a new media item (`end()`). */
    end(reason: EndReason = 'end'): void {
      if (reason === 'end') blocked = true;
      if (self.closed) return;
      self.close('sessionEnd', reason);
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
      stance.settleSeek();
      if (old.dead) {
        old.closed = true;
        deps.ended(old, 'expired');
        // A server that closes every new session at once must not get a storm of them.
        if (++restarts > MAX_RESTARTS) {
          blocked = true;
          return deps.problem('dropped', `${MAX_RESTARTS} sessions lost: stopped until new media or start()`);
        }
      } else {
        self.close('sessionEnd', 'restart');
      }
      begin(stance.playhead(), true);
      stance.report();
    },

    /**
     * A source loads: for new media, the open session ends (at `at` when given) and the next one
     * starts afresh. Returns whether the media is new.
     */
    changeSource(at?: number): boolean {
      const next = player.src();
      if (next === src) return false;
      self.close('sessionEnd', 'source', at);
      session = null;
      src = next;
      blocked = denied;
      resumeNext = false;
      restarts = 0;
      for (const feature of features) feature.reset?.();
      return true;
    },

    /** Ends the session once playback has stood still for `idleTimeout` (spec §4.3). */
    watchIdle(): void {
      // Adobe counts from the last playhead movement it saw, which may lie before this stop.
      const since = Math.max(0, Date.now() - (session?.moved ?? Date.now()));
      if (!timers.has('idle')) timers.later('idle', () => self.end('idle'), config.idle - since);
    },

    /** Pings every `ms` from now on (1 s during ads, as an option). */
    pace(ms: number): void {
      timers.every('ping', () => self.emit('ping'), ms);
    },

    /**
     * Builds an event for the open session, with the features' quality data, and queues it
     * (after an event kept back). `at` is the content position (s) when it is not the
     * playhead's. Without an open session it does nothing.
     */
    emit(type: EventType, fields?: EventFields, at?: number): void {
      if (self.active) delivery.push(session!, self.build(type, fields, at));
    },

    /** Builds the next event of the open session, once what must go before it is queued (see `emit`). */
    build(type: EventType, fields?: EventFields, at?: number): TrackedEvent {
      self.sendHeld();
      // The content's play: what belongs before it (the chapter it plays in) goes first.
      const content = type === 'play' && !stance.inBreak();
      if (content) for (const feature of features) feature.beforePlay?.();
      // The content's play starts from where the media is now (after a seek, a new position).
      const where = content ? { position: player.position() } : at === undefined ? stance.playhead() : { position: at };
      return session!.event(type, where, { ...fields, ...qoe(type) });
    },

    /** Builds a `play` at the media's position now and keeps it back (`sendHeld`, `dropHeld`). */
    hold(): void {
      if (!self.active) return;
      self.sendHeld();
      held = session!.event('play', { position: player.position() }, qoe('play'));
    },

    /** Sends the event kept back, if any. */
    sendHeld(): void {
      const event = held;
      held = null;
      if (event && !self.closed) delivery.push(session!, event);
    },

    /** Forgets the event kept back: playback stopped again before it was due. */
    dropHeld(): void {
      held = null;
    }
  };
  return self;
}

/** The sessions of one tracker. */
export type Sessions = ReturnType<typeof createSessions>;
