import type { CustomMetadata, EventFields, EventType, TrackedEvent } from './events';
import type { Params } from './options';

/** Hands out `ts` values: milliseconds since the epoch, strictly increasing, at least 1 ms apart (spec §4.7). */
export type Clock = () => number;

/** A new clock. */
export function createClock(): Clock {
  let last = 0;
  return () => (last = Math.max(Date.now(), last + 1));
}

/** The live playhead: the current second of the UTC day (spec §4.6). */
export const secondOfDay = (ts: number): number => Math.floor((ts % 86400000) / 1000);

/**
 * Where the content stands for one event: its `position` in the media (seconds) and, when the
 * playhead stands still (paused, buffering, seeking, an ad break), `since` when (ms since the
 * epoch). Live content reports the second of the day instead (spec §4.6): of `since` when the
 * playhead stands still, of the event's `ts` when it moves.
 */
export interface Playhead {
  position: number;
  since?: number;
}

/** Why a session ended, as `mediacollection:sessionend` reports it. */
export type EndReason = 'complete' | 'end' | 'source' | 'dispose' | 'unload' | 'idle' | 'error' | 'restart' | 'expired';

/**
 * One Adobe session: its id, whether it is over, and the events built for it. Its
 * `sessionStart` is built at the first `play`, with that moment's `ts` and playhead, and gets
 * its params later, once the duration is known. `resume`: it continues an earlier session
 * (`media.resume: true`, spec §4.4).
 */
export function createSession(src: string, clock: Clock, playhead: Playhead, { resume = false } = {}) {
  let last: TrackedEvent | undefined;
  // Events built before the params were known, with their playheads: what depends on the
  // params (the live clock, the ad's player name) is filled in once they are.
  let early: Array<[TrackedEvent, Playhead]> | null = [];
  let live = false;

  /** Fills in what depends on the session's params (spec §4.6, §6.4). */
  const complete = (event: TrackedEvent, at: Playhead) => {
    if (live) event.playhead = secondOfDay(at.since ?? event.ts);
    // The break's second is on the playhead's clock: for live, the second of the day it began.
    if (live && event.adBreak) event.adBreak = { ...event.adBreak, offset: event.playhead };
    if (event.ad) event.ad = { ...event.ad, playerName: self.opening.media!.params['media.playerName'] as string };
  };

  const self = {
    src,
    resume,
    sid: null as string | null,
    dead: undefined as boolean | undefined,
    /** The client sent `sessionEnd` or `sessionComplete`, or gave the session up. */
    closed: false,
    /** The `ts` of the last event whose playhead differed from the one before (Adobe's idle clock). */
    moved: 0,
    /** Its `sessionStart`. */
    opening: undefined as unknown as TrackedEvent,

    /** Whether `sessionStart` has its params (the media's description), so that it can go. */
    get described(): boolean {
      return !early;
    },

    /** Builds an event now, with the next `ts`. */
    event(type: EventType, at: Playhead, fields?: EventFields): TrackedEvent {
      const ts = clock();
      const event: TrackedEvent = { type, ts, playhead: at.position, ...fields };
      if (early) early.push([event, at]);
      else complete(event, at);
      if (event.playhead !== last?.playhead) self.moved = ts;
      return (last = event);
    },

    /** Where playback that went on since the last event would be now, within the media's length. */
    extrapolate(): number {
      const { playhead: at, ts } = last!;
      const length = (self.opening.media?.params['media.length'] as number) || Infinity;
      // ts may run a few ms ahead of the clock (events 1 ms apart): never before the last playhead.
      const now = Math.min(length, Math.round(at * 1000 + Math.max(0, Date.now() - ts)) / 1000);
      return isFinite(now) ? now : at;
    },

    /** Gives `sessionStart` its params and custom metadata, and completes the events built before. */
    describe(params: Params, customMetadata: CustomMetadata, contentType: 'vod' | 'live'): void {
      self.opening.media = { params, customMetadata };
      live = contentType === 'live';
      for (const [event, at] of early!) complete(event, at);
      early = null;
    }
  };
  self.opening = self.event('sessionStart', playhead);
  return self;
}

/** One Adobe session of a tracker. */
export type Session = ReturnType<typeof createSession>;
