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
  if (!(t > 0 && isFinite(t))) return 0;
  // Rounded to the millisecond, unless that overflows (an absurd but finite time).
  const ms = Math.round(t * 1000) / 1000;
  return isFinite(ms) ? ms : t;
}

/** Whether the media is audio only: an `<audio>` element, audio-only mode or an audio MIME type. */
export function isAudio(player: Player): boolean {
  return !!(player.isAudio() || player.audioOnlyMode() === true || /^audio\//i.test(player.currentType() || ''));
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

/** The player's current error as Adobe's `errorID` (spec §6.6). */
export function errorId(player: Player): string {
  const error = player.error() as { code?: unknown; message?: unknown } | null | undefined;
  const code = error?.code;
  return code != null && code !== '' ? String(code) : 'unknown';
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

/** The bitrate (bits per second) of the rendition playing now, when known. */
export function bitrate(player: Player): number | undefined {
  const levels = qualityLevels(player);
  const level = levels && levels[levels.selectedIndex];
  return level?.bitrate ? Math.round(level.bitrate) : undefined;
}

/** Frame counts of the `<video>` element (`getVideoPlaybackQuality()`), when the browser has them. */
export function frames(player: Player): { dropped: number; total: number } | undefined {
  const el = player.tech(true)?.el() as HTMLVideoElement | undefined;
  const quality = el?.getVideoPlaybackQuality?.();
  return quality && { dropped: quality.droppedVideoFrames, total: quality.totalVideoFrames };
}

/** Whether a captions or subtitles track is showing. */
export function captionsShowing(player: Player): boolean {
  const tracks = player.textTracks() as unknown as ArrayLike<TextTrack>;
  return Array.prototype.some.call(
    tracks,
    (track: TextTrack) => track.mode === 'showing' && (track.kind === 'captions' || track.kind === 'subtitles')
  );
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
  const tracks = player.textTracks() as unknown as ArrayLike<TextTrack>;
  return Array.prototype.find.call(tracks, (track: TextTrack) => track.kind === 'chapters');
}

