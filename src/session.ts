import type { ApiEvent, Target } from './delivery';
import type { Params } from './options';

/** Hands out `ts` values: milliseconds since the epoch, strictly increasing, at least 1 ms apart (spec §4.7). */
export class Clock {
  #last = 0;

  next(): number {
    return (this.#last = Math.max(Date.now(), this.#last + 1));
  }
}

/** The live playhead: the current second of the UTC day (spec §4.6). */
export const secondOfDay = (ts: number): number => Math.floor((ts % 86400000) / 1000);

/** Why a session ended, as `mediacollection:sessionend` reports it. */
export type EndReason = 'complete' | 'end' | 'source' | 'dispose' | 'unload' | 'idle' | 'error' | 'restart' | 'expired';

/**
 * One Adobe session: its id, whether it is over, and the events built for it. Its
 * `sessionStart` is built at the first `play`, with that moment's `ts` and playhead, and gets
 * its params later, once the duration is known.
 */
export class Session implements Target {
  sid: string | null = null;
  dead?: boolean;
  /** The client sent `sessionEnd` or `sessionComplete`, or gave the session up. */
  closed = false;
  live = false;
  /** The `ts` of the last event whose playhead differed from the one before (Adobe's idle clock). */
  moved = 0;
  readonly start: ApiEvent;
  #last!: ApiEvent;
  // Events built before the duration was known; for live content their playheads are
  // rewritten as seconds of the day once it is.
  #early: ApiEvent[] | null = [];
  #clock: Clock;

  constructor(
    readonly src: string,
    clock: Clock,
    playhead: number,
    /** It continues an earlier session: `media.resume: true` (spec §4.4). */
    readonly resume = false
  ) {
    this.#clock = clock;
    this.start = this.event('sessionStart', playhead);
  }

  /** Whether `sessionStart` has its params. */
  get started(): boolean {
    return !this.#early;
  }

  /** Builds an event now, with the next `ts`. */
  event(eventType: string, playhead: number, more?: Partial<ApiEvent>): ApiEvent {
    const ts = this.#clock.next();
    const event = { eventType, playerTime: { playhead: this.live ? secondOfDay(ts) : playhead, ts }, ...more };
    this.#early?.push(event);
    if (event.playerTime.playhead !== this.#last?.playerTime.playhead) this.moved = ts;
    return (this.#last = event);
  }

  /** Where playback that went on since the last event would be now, within the media's length. */
  extrapolate(): number {
    const { playhead, ts } = this.#last.playerTime;
    const length = (this.start.params?.['media.length'] as number) || Infinity;
    // ts may run a few ms ahead of the clock (events 1 ms apart): never before the last playhead.
    const at = Math.min(length, Math.round(playhead * 1000 + Math.max(0, Date.now() - ts)) / 1000);
    return isFinite(at) ? at : playhead;
  }

  /** Completes `sessionStart` with its params and custom metadata. */
  finalize(params: Params, customMetadata: Record<string, string>, live: boolean): void {
    this.start.params = params;
    if (Object.keys(customMetadata).length) this.start.customMetadata = customMetadata;
    this.live = live;
    if (live) for (const event of this.#early!) event.playerTime.playhead = secondOfDay(event.playerTime.ts);
    this.#early = null;
  }
}
