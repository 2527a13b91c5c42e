import type { ApiEvent } from './delivery';
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
export function createSession(src: string, clock: Clock, playhead: Playhead, resume = false) {
  let last: ApiEvent | undefined;
  // Events built before the params were known, with their playheads: what depends on the
  // params (the live clock, the ad's player name) is filled in once they are.
  let early: Array<[ApiEvent, Playhead]> | null = [];
  let live = false;

  /** Fills in what depends on the session's params (spec §4.6, §6.4). */
  const complete = (event: ApiEvent, at: Playhead) => {
    const params = self.opening.params!;
    if (live) event.playerTime.playhead = secondOfDay(at.since ?? event.playerTime.ts);
    // The break's second is on the playhead's clock: for live, the second of the day it began.
    if (live && event.eventType === 'adBreakStart') event.params = { ...event.params, 'media.ad.podSecond': event.playerTime.playhead };
    if (event.eventType === 'adStart') event.params = { ...event.params, 'media.ad.playerName': params['media.playerName'] };
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
    opening: undefined as unknown as ApiEvent,

    /** Whether `sessionStart` has its params. */
    get started(): boolean {
      return !early;
    },

    /** Builds an event now, with the next `ts`. */
    event(eventType: string, at: Playhead, more?: Partial<ApiEvent>): ApiEvent {
      const ts = clock();
      const event = { eventType, playerTime: { playhead: at.position, ts }, ...more };
      if (early) early.push([event, at]);
      else complete(event, at);
      if (event.playerTime.playhead !== last?.playerTime.playhead) self.moved = ts;
      return (last = event);
    },

    /** Where playback that went on since the last event would be now, within the media's length. */
    extrapolate(): number {
      const { playhead: at, ts } = last!.playerTime;
      const length = (self.opening.params?.['media.length'] as number) || Infinity;
      // ts may run a few ms ahead of the clock (events 1 ms apart): never before the last playhead.
      const now = Math.min(length, Math.round(at * 1000 + Math.max(0, Date.now() - ts)) / 1000);
      return isFinite(now) ? now : at;
    },

    /** Completes `sessionStart` with its params and custom metadata, and the events built before. */
    finalize(params: Params, customMetadata: Record<string, string>, isLive: boolean): void {
      self.opening.params = params;
      if (Object.keys(customMetadata).length) self.opening.customMetadata = customMetadata;
      live = isLive;
      for (const [event, at] of early!) complete(event, at);
      early = null;
    }
  };
  self.opening = self.event('sessionStart', playhead);
  return self;
}

/** One Adobe session of a tracker. */
export type Session = ReturnType<typeof createSession>;
