import type { Context } from './context';
import type { Delivery } from './delivery';
import type { EventType } from './events';
import type { Extra } from './params';
import { createSessions } from './sessions';
import type { EndReason, Playhead, Session } from './session';
import { createTimers, type Timers } from './timers';

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

/** What playback needs besides the context: where events go, and whom to tell that a session ended. */
export interface PlaybackDeps extends Context {
  delivery: Delivery;
  /** What the `metadata` option gives for a session starting now (it is called with the player). */
  metadata(): Extra;
  /** A session ended (`mediacollection:sessionend`). */
  ended(session: Session, reason: EndReason): void;
}

/** A scrub is many seeks; `play` waits this long (ms) after the last one (spec §4.5). */
export const SEEK_SETTLE = 300;
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

/**
 * Turns the player's events into API events: sessions started on the first `play` of each
 * media item, `play`, `pauseStart`, `bufferStart`, pings, `error`, `sessionComplete` and
 * `sessionEnd`, with restarts after idling, 24 h and a server that lost the session.
 */
/**
 * The phase machine: turns the player's events (and the ad stacks') into the playback events of
 * the sessions (`play`, `pauseStart`, `bufferStart`, `error`, `sessionComplete`), with the
 * playhead standing still where a pause, stall, seek or ad break began. The sessions' life is
 * in sessions.ts.
 */
export function createPlayback(deps: PlaybackDeps) {
  const { player } = deps;
  const on = (types: string, listener: () => void) => player.on(types, listener);
  let phase: Phase = 'idle';
  /** Where the playhead stands still while the phase is not `playing` or `idle`. */
  let frozen: Playhead = { position: 0 };
  /** Where the content playhead stands during an ad break, or null outside one. */
  let breakAt: Playhead | null = null;
  let before: Phase = 'idle';
  /** Where the content stood when it was restored after a break, until contrib-ads seeks it back there. */
  let restoredAt: number | undefined;
  /** An ad is open in the break (between its `adStart` and its end): its playback is reported. */
  let adOpen = false;
  const timers: Timers = createTimers(player);

  // In a break the content stands where it began (spec §4.6); paused, buffering, seeking or
  // resuming, where that began; otherwise it is the media's.
  const playhead = (): Playhead => breakAt ?? (STILL.includes(phase) ? frozen : { position: player.position() });

  /** Whether state changes are reported now: not in a break's gaps, where no ad is open. */
  const reporting = () => !breakAt || adOpen;

  const sessions = createSessions(
    { ...deps, timers },
    {
      playhead,
      begun: () => phase !== 'idle',
      playing: () => phase === 'playing',
      inBreak: () => !!breakAt,
      standAt: (at) => {
        if (STILL.includes(phase)) frozen = at;
      },
      report: () => reporting() && report(),
      settleSeek: () => sessions.holding && toPlaying()
    }
  );
  const { emit, describe, watchIdle } = sessions;

  /** Forgets the `play` of a seek that was kept back: playback stopped again before it settled. */
  const dropHeld = () => {
    sessions.dropHeld();
    timers.clear('seek');
  };

  /** The playhead stands still from now, at `at`. */
  const freeze = (at = player.position()) => (frozen = { position: at, since: Date.now() });

  /**
   * The player loads the content again after a break at `at`: `play` comes with its first frame,
   * or, if that takes long, the state it is in then.
   */
  const restore = (at: Playhead) => {
    frozen = at;
    phase = 'resuming';
    watchIdle();
    timers.later('resume', () => stop(player.paused() ? 'paused' : 'buffering', at.position), RESUME_WAIT);
  };

  /** Enters a state where the playhead stands still, reports it, and starts counting idle time. */
  const stop = (next: Phase, at?: number) => {
    restoredAt = undefined;
    freeze(at);
    phase = next;
    if (reporting()) emit(STATE_EVENTS[next]!);
    watchIdle();
  };

  const toPlaying = () => {
    timers.clear('idle');
    timers.clear('seek');
    timers.clear('resume');
    timers.clear('recover');
    if (sessions.holding) sessions.sendHeld();
    else if (phase !== 'playing' && reporting()) emit('play');
    phase = 'playing';
  };

  /** Reports the current state, whatever was sent before (after a start, a restart, an ad start or a break). */
  const report = () => {
    const event = STATE_EVENTS[phase];
    if (event) emit(event);
    if (phase !== 'playing') watchIdle();
  };

  const self = {
    /** The sessions: the current one, and `start()`, `end()`, consent and restarts. */
    sessions,
    use: sessions.use,
    emit,
    pace: sessions.pace,

    /** Clears every timer (disposal). */
    dispose: timers.clearAll,

    /** The current or last session of this media item. */
    get session(): Session | null {
      return sessions.session;
    },

    /** Whether a session is open and alive, so that events can be sent. */
    get active(): boolean {
      return sessions.active;
    },

    /** Whether an ad break is on: the content playhead stands still. */
    get inBreak(): boolean {
      return !!breakAt;
    },

    /** Whether the content is being restored after an ad break: the player's time is not yet the content's. */
    get restoring(): boolean {
      return phase === 'resuming';
    },

    /**
     * An ad break begins: the content playhead stands still at `at` (spec §4.6). From here to
     * `exitBreak`, the phase follows the ads, and it is reported while an ad is open.
     */
    enterBreak(at: number): void {
      dropHeld();
      timers.clear('resume');
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
        restoredAt = at.position;
        restore(at);
        return;
      }
      if (phase !== 'playing') frozen = at;
      report();
    },

    /** The player (or the ad in it) plays. */
    playing(): void {
      // The first frame gives the content's duration; an ad's frame does not.
      if (!breakAt) describe('now');
      // Browsers fire playing after every seek of a scrub: the settling timer decides.
      if (!sessions.holding) toPlaying();
    },

    /** The player (or the ad in it) paused. */
    paused(): void {
      // video.js pauses at the end of the media (and while the user drags the progress bar,
      // which then is a seek that ends in `play`, as it should be). A pause while the player
      // shows an error is the error's, which was reported.
      if (player.atEnd() || phase === 'ended' || player.errorId()) return;
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
    sessions.autoStart(player.position());
  });
  on('playing', self.playing);
  on('pause', self.paused);
  on('waiting', self.waiting);
  on('seeking', () => {
    // The content stands still through a break, seeks included.
    if (breakAt) return;
    // contrib-ads seeks the restored content back to where the break began; on a busy machine,
    // and always in Firefox and WebKit, after it played again. That seek is the restore's, not
    // the viewer's: the content is still being restored (the player reports the seek's target).
    const restoring = restoredAt !== undefined && Math.abs(player.position() - restoredAt) < 1;
    restoredAt = undefined;
    if (restoring) return restore(frozen);
    // The player already reports the seek's target: where it started is extrapolated.
    if (phase === 'playing') stop('seeking', sessions.session?.extrapolate());
    else if (phase === 'buffering') stop('seeking');
    else if (phase === 'seeking') dropHeld();
  });
  on('seeked', () => {
    if (phase !== 'seeking') return;
    if (player.paused()) {
      phase = 'paused';
    } else {
      sessions.hold();
      timers.later('seek', toPlaying, SEEK_SETTLE);
    }
  });
  on('ended', () => {
    describe('now');
    sessions.close('sessionComplete', 'complete');
    phase = 'ended';
  });
  on('error', () => {
    // An aborted load or a cleared source is no playback error (the element adapter says '').
    const id = player.errorId();
    if (!id) return;
    if (sessions.closed) {
      phase = 'idle';
      return;
    }
    describe('now');
    // Playing stops: the playhead stands still, and the wait counts as a stall, not as content.
    const stalled = phase === 'playing';
    if (stalled) {
      freeze();
      phase = 'buffering';
    }
    emit('error', { error: { id, source: 'player' } });
    if (stalled && reporting()) emit('bufferStart');
    watchIdle();
    // An error does not end the session (spec §3.2): the same media playing again continues it.
    // Only when it does not play again does the error count as final.
    timers.later('recover', () => sessions.end('error'), ERROR_RECOVERY);
  });
  on('loadstart', () => {
    const session = sessions.session;
    // The player already shows the new media: where the old one stopped is extrapolated. Before
    // its first frame a session stands where it started (frozen may be an older item's).
    const at = phase === 'playing' ? session?.extrapolate() : phase === 'idle' ? session?.opening.playhead : undefined;
    if (!sessions.changeSource(at)) return;
    phase = 'idle';
    breakAt = null;
    restoredAt = undefined;
    // `play()` right after a new source: its `play` came before this loadstart, for the old media.
    if (!player.paused()) sessions.autoStart(player.position());
  });
  // With ads, the content's metadata may only come while it is restored after a pre-roll.
  // contrib-ads does not rename the first loadedmetadata of a player when it is a pre-roll's:
  // during a break, only the content's own (renamed) events count.
  on('loadedmetadata durationchange', () => breakAt || describe('with-duration'));
  on('contentloadedmetadata contentdurationchange', () => describe('with-duration'));
  return self;
}

/** The playback tracking of one tracker. */
export type Playback = ReturnType<typeof createPlayback>;
