import type { MediaPlayer } from './player/player';

/**
 * Named timers on the player (so that they end with it): one of each name at a time, and all
 * cleared at once when a session closes or the tracker is disposed.
 */
export function createTimers<Name extends string>(player: MediaPlayer) {
  const ids: Partial<Record<Name, number>> = {};
  const self = {
    /** Runs `fn` once after `ms`, in place of the timer of that name. */
    later(name: Name, fn: () => void, ms: number): void {
      self.clear(name);
      ids[name] = player.later(() => {
        delete ids[name];
        fn();
      }, ms);
    },

    /** Runs `fn` every `ms`, in place of the timer of that name. */
    every(name: Name, fn: () => void, ms: number): void {
      self.clear(name);
      ids[name] = player.every(fn, ms);
    },

    /** Whether the timer of that name is set. */
    has: (name: Name): boolean => ids[name] !== undefined,

    clear(name: Name): void {
      if (ids[name] !== undefined) player.cancel(ids[name]);
      delete ids[name];
    },

    clearAll(): void {
      for (const name of Object.keys(ids) as Name[]) self.clear(name);
    }
  };
  return self;
}

/** The timers of one tracker's playback and sessions. */
export type Timers = ReturnType<typeof createTimers<'ping' | 'idle' | 'max' | 'seek' | 'resume' | 'recover'>>;
