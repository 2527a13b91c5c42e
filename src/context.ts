import type { EventFields, EventType, QoeFields } from './events';
import type { Config } from './options';
import type { Playback } from './playback';
import type { MediaPlayer } from './player/player';

/** The codes of `mediacollection:error` (see the README's events table). */
export type ProblemCode = 'invalid-options' | 'invalid-argument' | 'rejected' | 'dropped' | 'internal';

/**
 * What every part of one tracker gets from the plugin: the player and options, and how to
 * listen and report. Listening ends with the plugin, and nothing a listener does can throw into
 * the page.
 */
export interface Context {
  player: MediaPlayer;
  config: Config;
  /** Listens to `types` (separated by spaces) of an object beside the player (an ad stack's) until the plugin is disposed. */
  listen(target: object, types: string, listener: (event: Event) => void): void;
  warn(message: string): void;
  /** Logs an error and triggers `mediacollection:error`. */
  problem(code: ProblemCode, message: string): void;
}

/** What a feature (ads, chapters, states, quality) gets: the context and playback. */
export interface FeatureDeps extends Context {
  playback: Playback;
}

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
