import type Player from 'video.js/dist/types/player';

// Every read of player state lives here, typed once at this edge: video.js's bundled types
// lack `mediainfo` and type `currentSource()` as a Tech.

/** The parts of `player.mediainfo` (set by Brightcove and by many sites) that the plugin reads. */
export interface MediaInfo {
  id?: unknown;
  name?: unknown;
  /** Brightcove's custom fields: they become custom metadata. */
  custom_fields?: unknown;
}

/** The current source object as given to `player.src()`, possibly with site-specific fields. */
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
  /** Seconds: `NaN` while unknown, `Infinity` for live. */
  duration: number;
  audio: boolean;
  mediainfo: MediaInfo;
  source: SourceObject;
}

type LoosePlayer = Player & {
  mediainfo?: MediaInfo;
  currentSource(): SourceObject | undefined;
};

const loose = (player: Player) => player as LoosePlayer;

/** The current source URL. */
export const currentSrc = (player: Player): string => player.currentSrc() || '';

/** The content duration in seconds; `NaN` while unknown. */
export function duration(player: Player): number {
  const d = player.duration();
  return typeof d === 'number' && d > 0 ? d : NaN;
}

/** The playhead in seconds, never negative or NaN. */
export function position(player: Player): number {
  const t = Number(player.currentTime());
  return t > 0 && isFinite(t) ? t : 0;
}

/** Whether the media is audio only: an `<audio>` element, audio-only mode or an audio MIME type. */
export function isAudio(player: Player): boolean {
  return !!(player.isAudio() || player.audioOnlyMode() || /^audio\//i.test(player.currentType() || ''));
}

/** Everything `sessionStart` needs to know about the current media item. */
export function mediaFacts(player: Player): MediaFacts {
  const p = loose(player);
  return {
    src: currentSrc(player),
    duration: duration(player),
    audio: isAudio(player),
    mediainfo: (p.mediainfo && typeof p.mediainfo === 'object' ? p.mediainfo : {}) as MediaInfo,
    source: p.currentSource() || {}
  };
}

/** Whether playback is stopped at the end of the media (the `pause` that comes with `ended`). */
export const atEnd = (player: Player): boolean => !!player.ended();

/** The player's current error as Adobe's `errorID` (spec §6.6), or '' when it has none. */
export function errorId(player: Player): string {
  const error = player.error() as { code?: unknown } | null | undefined;
  return error ? String(error.code ?? '') || 'unknown' : '';
}

/** The rendition list of videojs-contrib-quality-levels (bundled with video.js 8). */
export interface QualityLevels {
  length: number;
  selectedIndex: number;
  [index: number]: { bitrate?: number; frameRate?: number } | undefined;
  on(type: string, listener: () => void): void;
}

/** The player's quality levels, when it has them (adaptive streams through VHS). */
export function qualityLevels(player: Player): QualityLevels | undefined {
  const p = player as Player & { qualityLevels?: () => QualityLevels };
  return typeof p.qualityLevels === 'function' ? p.qualityLevels() : undefined;
}

/**
 * The bitrate of the rendition playing now, in kbps (as Adobe's reports read it: see the README's
 * choices), when known.
 */
export function bitrate(player: Player): number | undefined {
  const levels = qualityLevels(player);
  const level = levels && levels[levels.selectedIndex];
  return level?.bitrate ? Math.round(level.bitrate / 1000) : undefined;
}

/** Frame counts of the `<video>` element (`getVideoPlaybackQuality()`), when the browser has them. */
export function frames(player: Player): VideoPlaybackQuality | undefined {
  return (player.tech(true)?.el() as HTMLVideoElement | undefined)?.getVideoPlaybackQuality?.();
}

/** Whether a captions or subtitles track is showing. */
export function captionsShowing(player: Player): boolean {
  return textTracks(player).some((track) => track.mode === 'showing' && /^(captions|subtitles)$/.test(track.kind));
}

/** The standard player states (spec §6.7) and whether each is on now. */
export function playerStates(player: Player): Record<string, boolean> {
  return {
    fullscreen: !!player.isFullscreen(),
    mute: !!player.muted() || player.volume() === 0,
    closedCaptioning: captionsShowing(player),
    pictureInPicture: !!player.isInPictureInPicture(),
    inFocus: document.visibilityState === 'visible' && document.hasFocus()
  };
}

/** The first text track of kind `chapters`, if the player has one. */
export function chaptersTrack(player: Player): TextTrack | undefined {
  return textTracks(player).find((track) => track.kind === 'chapters');
}

/** The player's text tracks as an array. */
const textTracks = (player: Player): TextTrack[] => Array.from(player.textTracks() as unknown as ArrayLike<TextTrack>);

/** What the plugin reads of one ad, from IMA or from contrib-ads' `player.ads.ad`. */
export interface AdInfo {
  id?: string;
  length?: number;
  position?: number;
  name?: string;
  advertiser?: string;
  creativeId?: string;
  creativeURL?: string;
  customMetadata?: Record<string, unknown>;
}

/** videojs-contrib-ads' `player.ads`, once the ads plugin is set up on the player. */
export interface AdsState {
  inAdBreak(): boolean;
  adType?: string | null;
  /** A convention of contrib-ads' common interface that some integrations fill in. */
  ad?: { id?: string; duration?: number } | null;
}

/** contrib-ads' state, or undefined when the player has no ads plugin set up. */
export function adsState(player: Player): AdsState | undefined {
  const ads = (player as Player & { ads?: AdsState }).ads;
  return typeof ads?.inAdBreak === 'function' ? ads : undefined;
}

/** Whether the IMA plugin (videojs-ima) is set up on the player: it plays ads in an element of its own. */
export const usesIma = (player: Player): boolean => !!(player as Player & { ima?: object }).ima;

/** The ad IMA plays now (its controller's current `google.ima.Ad`), read into an AdInfo. */
export function imaAd(player: Player): AdInfo | undefined {
  type ImaAd = Record<string, () => unknown> & { getAdPodInfo(): { getAdPosition(): number } };
  const ima = (player as Player & { ima?: { controller?: { getCurrentAd?(): ImaAd | null } } }).ima;
  const ad = ima?.controller?.getCurrentAd?.();
  const get = (name: string) => (ad![`get${name}`]?.() as string) || undefined;
  return ad
    ? {
        id: get('AdId') || get('CreativeId'),
        length: ad.getDuration() as number,
        position: ad.getAdPodInfo().getAdPosition(),
        name: get('Title'),
        advertiser: get('AdvertiserName'),
        creativeId: get('CreativeId'),
        creativeURL: get('MediaUrl')
      }
    : undefined;
}
