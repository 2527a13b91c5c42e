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

/** Why a session ended, as `mediacollection:sessionend` reports it. */
export type EndReason = 'complete' | 'end' | 'source' | 'dispose' | 'unload' | 'idle' | 'error' | 'restart' | 'expired';

/**
 * One Adobe session: its id, whether it is over, and the events built for it. Its
 * `sessionStart` is built at the first `play`, with that moment's `ts` and playhead, and gets
 * its params later, once the duration is known. `resume`: it continues an earlier session
 * (`media.resume: true`, spec §4.4).
 */
export function createSession(src: string, clock: Clock, playhead: number, resume = false) {
  let last: ApiEvent | undefined;
  // Events built before the duration was known; for live content their playheads are
  // rewritten as seconds of the day once it is.
  let early: ApiEvent[] | null = [];

  const self = {
    src,
    resume,
    sid: null as string | null,
    dead: undefined as boolean | undefined,
    /** The client sent `sessionEnd` or `sessionComplete`, or gave the session up. */
    closed: false,
    live: false,
    /** The `ts` of the last event whose playhead differed from the one before (Adobe's idle clock). */
    moved: 0,
    /** Its `sessionStart`. */
    opening: undefined as unknown as ApiEvent,

    /** Whether `sessionStart` has its params. */
    get started(): boolean {
      return !early;
    },

    /** Builds an event now, with the next `ts`. */
    event(eventType: string, at: number, more?: Partial<ApiEvent>): ApiEvent {
      const ts = clock();
      const event = { eventType, playerTime: { playhead: self.live ? secondOfDay(ts) : at, ts }, ...more };
      early?.push(event);
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

    /** Completes `sessionStart` with its params and custom metadata. */
    finalize(params: Params, customMetadata: Record<string, string>, live: boolean): void {
      self.opening.params = params;
      if (Object.keys(customMetadata).length) self.opening.customMetadata = customMetadata;
      self.live = live;
      if (live) for (const event of early!) event.playerTime.playhead = secondOfDay(event.playerTime.ts);
      early = null;
    }
  };
  self.opening = self.event('sessionStart', playhead);
  return self;
}

/** One Adobe session of a tracker. */
export type Session = ReturnType<typeof createSession>;
