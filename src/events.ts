import type { Params } from './options';

/**
 * The tracker's events, named as Adobe names them (spec §3.1). A transport turns each into a
 * request of its own API.
 */
export type EventType =
  | 'sessionStart'
  | 'play'
  | 'ping'
  | 'pauseStart'
  | 'bufferStart'
  | 'bitrateChange'
  | 'error'
  | 'sessionComplete'
  | 'sessionEnd'
  | 'adBreakStart'
  | 'adStart'
  | 'adComplete'
  | 'adSkip'
  | 'adBreakComplete'
  | 'chapterStart'
  | 'chapterComplete'
  | 'chapterSkip'
  | 'stateStart'
  | 'stateEnd';

/** Custom metadata: names and their values as text (spec §6.5). */
export type CustomMetadata = Record<string, string>;

/** The content of a session (`sessionStart`), in the Media Collection API's param names. */
export interface MediaFields {
  params: Params;
  customMetadata: CustomMetadata;
}

/** An ad break (`adBreakStart`). */
export interface AdBreakFields {
  /** From 1 (`media.ad.podIndex`). */
  index: number;
  /** Where in the content it stands, on the playhead's clock (`media.ad.podSecond`). */
  offset: number;
  name?: string;
}

/** The optional text fields of an ad (`media.ad.name` and so on, spec §6.4). */
export interface AdTexts {
  name?: string;
  advertiser?: string;
  campaignId?: string;
  creativeId?: string;
  creativeURL?: string;
  placementId?: string;
  siteId?: string;
}

/** One ad (`adStart`). */
export interface AdFields extends AdTexts {
  id: string;
  /** Seconds. */
  length: number;
  /** From 1 in its break (`media.ad.podPosition`). */
  position: number;
  /** The session's player name (`media.ad.playerName`), filled in by the session. */
  playerName?: string;
  customMetadata?: CustomMetadata;
}

/** A chapter (`chapterStart`). */
export interface ChapterFields {
  /** From 1. */
  index: number;
  /** Seconds. */
  offset: number;
  /** Seconds. */
  length: number;
  name?: string;
}

/** Quality of experience (spec §6.6). */
export interface QoeFields {
  /** kbps. */
  bitrate?: number;
  droppedFrames?: number;
  framesPerSecond?: number;
  /** Milliseconds from the play request to the first frame. */
  timeToStart?: number;
}

/** An error (spec §3.1): its id and whether the player or something outside it raised it. */
export interface ErrorFields {
  id: string;
  source: 'player' | 'external';
}

/** The details an event may carry, each for the event types that take it. */
export interface EventFields {
  media?: MediaFields;
  adBreak?: AdBreakFields;
  ad?: AdFields;
  chapter?: ChapterFields;
  /** A player state's name (`stateStart`, `stateEnd`, spec §6.7). */
  state?: string;
  qoe?: QoeFields;
  error?: ErrorFields;
}

/** One event of a session, as the tracker builds it: what, when (`ts`, ms) and where (`playhead`, s). */
export interface TrackedEvent extends EventFields {
  type: EventType;
  ts: number;
  playhead: number;
}
