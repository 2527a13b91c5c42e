import type Player from 'video.js/dist/types/player';
import type { ApiEvent } from './delivery';
import type { Feature, FeatureHost, Playback } from './playback';
import { playerStates } from './player-facts';

/** Adobe keeps at most 10 distinct states per session (spec §6.7). */
export const MAX_STATES = 10;
/** The state names Adobe's SDK accepts (spec §6.7). */
export const STATE_NAME = /^[a-zA-Z0-9_.]{1,64}$/;

/**
 * Player states (spec §6.7): the standard ones read from the player (`fullscreen`, `mute`,
 * `closedCaptioning`, `pictureInPicture`, `inFocus`) and custom ones set through the tracker,
 * sent as `stateStart`/`stateEnd` when they change and again at the start of every session.
 */
export class States implements Feature {
  #on = new Set<string>();
  #named = new Set<string>();
  #playback: Playback;
  #player: Player;
  #warn: (message: string) => void;

  constructor({ playback, player, listen, warn }: FeatureHost) {
    this.#playback = playback;
    this.#player = player;
    this.#warn = warn;
    const sync = () => this.#sync();
    for (const type of ['fullscreenchange', 'volumechange', 'enterpictureinpicture', 'leavepictureinpicture']) {
      listen(player, type, sync);
    }
    for (const type of ['change', 'addtrack', 'removetrack']) listen(player.textTracks(), type, sync);
    listen(document, 'visibilitychange', sync);
    listen(window, 'focus', sync);
    listen(window, 'blur', sync);
    sync();
  }

  /** Starts or ends a state. */
  set(name: string, on: boolean): void {
    if (this.#on.has(name) === on) return;
    if (on) this.#on.add(name);
    else this.#on.delete(name);
    if (this.#playback.active && this.#count(name)) {
      this.#playback.emit(on ? 'stateStart' : 'stateEnd', { params: { 'media.state.name': name } });
    }
  }

  context(): Array<[string, Partial<ApiEvent>]> {
    this.#named.clear();
    return [...this.#on].filter((name) => this.#count(name)).map((name) => ['stateStart', { params: { 'media.state.name': name } }]);
  }

  /** Reads the standard states and sends what changed. */
  #sync(): void {
    const now = playerStates(this.#player);
    for (const name of Object.keys(now)) this.set(name, now[name]);
  }

  /** Whether the name fits within the session's 10 names; warns when it does not. */
  #count(name: string): boolean {
    if (this.#named.has(name)) return true;
    if (this.#named.size < MAX_STATES) return !!this.#named.add(name);
    this.#warn(`state "${name}" dropped: at most ${MAX_STATES} states per session`);
    return false;
  }
}
