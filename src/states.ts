import type { EventFields, EventType } from './events';
import type { FeatureDeps } from './context';

/** Adobe keeps at most 10 distinct states per session (spec §6.7). */
export const MAX_STATES = 10;
/** The state names Adobe's SDK accepts (spec §6.7). */
export const STATE_NAME = /^[\w.]{1,64}$/;

/**
 * Player states (spec §6.7): the standard ones read from the player (`fullscreen`, `mute`,
 * `closedCaptioning`, `pictureInPicture`, `inFocus`) and custom ones set through the tracker,
 * sent as `stateStart`/`stateEnd` when they change and again at the start of every session.
 */
export function createStates({ playback, player, warn }: FeatureDeps) {
  const on = new Set<string>();
  const named = new Set<string>();
  const event = (name: string): EventFields => ({ state: name });

  /** Whether the name fits within the session's 10 names; warns when it does not. */
  const count = (name: string) => {
    if (named.has(name) || (named.size < MAX_STATES && named.add(name))) return true;
    warn(`state "${name}" dropped: ${MAX_STATES} per session at most`);
    return false;
  };

  const self = {
    /** Starts or ends a state. */
    set(name: string, state: boolean): void {
      if (on.has(name) === state) return;
      if (state) on.add(name);
      else on.delete(name);
      if (playback.active && count(name)) playback.emit(state ? 'stateStart' : 'stateEnd', event(name));
    },

    context(): Array<[EventType, EventFields]> {
      named.clear();
      return [...on].filter(count).map((name) => ['stateStart', event(name)]);
    }
  };

  /** Reads the standard states and sends what changed. */
  const sync = () => {
    for (const [name, on] of Object.entries(player.states()) as Array<[string, boolean]>) self.set(name, on);
  };
  player.onStates(sync);
  sync();
  return self;
}

/** The player states feature of one tracker. */
export type States = ReturnType<typeof createStates>;
