/**
 * What the tracker reads of a player, and how it listens and keeps time there: the one
 * interface between playback (and its features) and a player. `src/player/videojs.ts` is its
 * video.js 7/8 implementation; another kind of player needs an implementation of its own and
 * nothing else. Listeners and timers end with the tracker.
 */
export interface MediaPlayer {
  /** Listens to the player's events (`types` separated by spaces; video.js's names, and those of the ad stacks on it). */
  on(types: string, listener: (event: Event) => void): void;
  /** Runs `fn` once after `ms`; returns an id for `cancel`. */
  later(fn: () => void, ms: number): number;
  /** Runs `fn` every `ms`; returns an id for `cancel`. */
  every(fn: () => void, ms: number): number;
  /** Cancels what `later` or `every` scheduled. */
  cancel(id: number): void;

  /** The playhead in seconds, never negative or NaN. */
  position(): number;
  /** The content duration in seconds: `NaN` while unknown, `Infinity` for live. */
  duration(): number;
  paused(): boolean;
  /** Whether playback stands at the end of the media (the `pause` that comes with `ended`). */
  atEnd(): boolean;
  /** The current source URL ('' without one). */
  src(): string;
  /** The current error as Adobe's `errorID` (spec §6.6), or '' when there is none. */
  errorId(): string;
  /** What `sessionStart` is built from. */
  facts(): MediaFacts;

  /** The cues of the player's chapters track, in order ([] without one). */
  chapters(): ChapterCue[];
  /** Calls `listener` when a chapters track comes or goes, or its active cue changes. */
  onChapters(listener: () => void): void;
  /** Adds a chapters track with these chapters (seconds). */
  addChapters(chapters: Array<{ start: number; end: number; name?: string }>): void;

  /** The standard player states (spec §6.7) and whether each is on now. */
  states(): Record<StandardState, boolean>;
  /** Calls `listener` when any of them may have changed. */
  onStates(listener: () => void): void;

  /** The bitrate of the rendition playing now, in kbps, when known. */
  bitrate(): number | undefined;
  /** The frame counts of the video, when the browser has them. */
  frames(): FrameCounts | undefined;
  /** Calls `listener` when the rendition playing changes. */
  onRendition(listener: () => void): void;

  /**
   * Follows the player's own ad stack (on video.js: videojs-contrib-ads and the IMA plugin on
   * it), telling `ads` what it does; a player without one tells nothing.
   */
  onAds(ads: AdStack): void;
}

/** The standard player states (spec §6.7). */
export type StandardState = 'fullscreen' | 'mute' | 'closedCaptioning' | 'pictureInPicture' | 'inFocus';

/** A chapter as a text track cue gives it. */
export interface ChapterCue {
  startTime: number;
  endTime: number;
  text?: string;
}

/** Frame counts (`getVideoPlaybackQuality()`). */
export interface FrameCounts {
  droppedVideoFrames: number;
  totalVideoFrames: number;
}

/** The parts of `player.mediainfo` (set by Brightcove and by many sites) that the tracker reads. */
export interface MediaInfo {
  id?: unknown;
  name?: unknown;
  /** Brightcove's custom fields: they become custom metadata. */
  custom_fields?: unknown;
}

/** The current source object as given to the player, possibly with site-specific fields. */
export interface SourceObject {
  src?: string;
  type?: string;
  id?: unknown;
  name?: unknown;
  title?: unknown;
}

/** Facts about the media item that `sessionStart` is built from. */
export interface MediaFacts {
  src: string;
  /** The player, for `media.playerName` (sites usually give their own). */
  playerName: string;
  /** Seconds: `NaN` while unknown, `Infinity` for live. */
  duration: number;
  audio: boolean;
  mediainfo: MediaInfo;
  source: SourceObject;
}

/** What the tracker reads of one ad from an ad stack. */
export interface AdInfo {
  id?: string;
  length?: number;
  position?: number;
  name?: string;
  advertiser?: string;
  creativeId?: string;
  creativeURL?: string;
}

/** What a player's ad stack tells the tracker, in the tracker's words. */
export interface AdStack {
  /** A break begins, at the content position the player still reports; `name` (`preroll`, …) when known. */
  breakStart(name?: string): void;
  /** An ad of the break starts playing. */
  adStart(ad: AdInfo): void;
  /** The open ad played to its end, or was skipped. */
  adEnd(how: 'adComplete' | 'adSkip'): void;
  /** The break is over: the content is restored in its element. */
  breakEnd(): void;
  /** The ad plays, pauses, or stalls (during a break only). */
  playing(): void;
  paused(): void;
  waiting(): void;
}
