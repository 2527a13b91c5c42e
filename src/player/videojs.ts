import type Player from 'video.js/dist/types/player';
import type { AdInfo, ChapterCue, FrameCounts, MediaFacts, MediaInfo, MediaPlayer, SourceObject, StandardState } from './player';

// Every read of a video.js player lives here, typed once at this edge: video.js's bundled types
// lack `mediainfo`, `qualityLevels`, `ads` and `ima`, and type `currentSource()` as a Tech.

type LoosePlayer = Player & {
  mediainfo?: MediaInfo;
  currentSource(): SourceObject | undefined;
  qualityLevels?: () => QualityLevels;
  ads?: AdsState;
  ima?: { controller?: { getCurrentAd?(): ImaAd | null } };
};

/** The rendition list of videojs-contrib-quality-levels (bundled with video.js 8). */
interface QualityLevels {
  length: number;
  selectedIndex: number;
  [index: number]: { bitrate?: number } | undefined;
}

/** The parts of a `google.ima.Ad` the tracker reads. */
type ImaAd = Record<string, () => unknown> & { getAdPodInfo(): { getAdPosition(): number } };

/** videojs-contrib-ads' `player.ads`, once the ads plugin is set up on the player. */
interface AdsState {
  inAdBreak(): boolean;
  adType?: string | null;
  /** A convention of contrib-ads' common interface that some integrations fill in. */
  ad?: { id?: string; duration?: number } | null;
}

/** How the tracker listens to any event target until it is disposed (the plugin's own, guarded). */
export type Listen = (target: object, types: string, listener: (event: Event) => void) => void;

/**
 * The video.js 7/8 player as the tracker reads it. `listen` is the plugin's: it ends with the
 * plugin and keeps anything a listener throws from the page.
 */
export function videojsPlayer(player: Player, listen: Listen): MediaPlayer {
  const loose = player as LoosePlayer;
  const textTracks = () => Array.from(player.textTracks() as unknown as ArrayLike<TextTrack>);
  const chaptersTrack = () => textTracks().find((track) => track.kind === 'chapters');
  const qualityLevels = () => (typeof loose.qualityLevels === 'function' ? loose.qualityLevels() : undefined);

  /** The chapters tracks whose cue changes are already followed. */
  const followed = new WeakSet<TextTrack>();

  /** The ad the IMA plugin plays now, when it plays one. */
  const imaAd = (): AdInfo | undefined => {
    const ad = loose.ima?.controller?.getCurrentAd?.();
    if (!ad) return undefined;
    const get = (name: string) => (ad[`get${name}`]?.() as string) || undefined;
    return {
      id: get('AdId') || get('CreativeId'),
      length: ad.getDuration() as number,
      position: ad.getAdPodInfo().getAdPosition(),
      name: get('Title'),
      advertiser: get('AdvertiserName'),
      creativeId: get('CreativeId'),
      creativeURL: get('MediaUrl')
    };
  };

  const self: MediaPlayer = {
    on: (types, listener) => listen(player, types, listener),
    later: (fn, ms) => player.setTimeout(fn, ms),
    every: (fn, ms) => player.setInterval(fn, ms),
    cancel(id) {
      player.clearTimeout(id);
      player.clearInterval(id);
    },

    position() {
      const t = Number(player.currentTime());
      return t > 0 && isFinite(t) ? t : 0;
    },

    duration() {
      const d = player.duration();
      return typeof d === 'number' && d > 0 ? d : NaN;
    },

    paused: () => !!player.paused(),
    atEnd: () => !!player.ended(),
    src: () => player.currentSrc() || '',

    errorId() {
      const error = player.error() as { code?: unknown } | null | undefined;
      return error ? String(error.code ?? '') || 'unknown' : '';
    },

    facts: (): MediaFacts => ({
      src: self.src(),
      playerName: 'video.js',
      duration: self.duration(),
      // An <audio> element, audio-only mode or an audio MIME type.
      audio: !!(player.isAudio() || player.audioOnlyMode() || /^audio\//i.test(player.currentType() || '')),
      mediainfo: loose.mediainfo && typeof loose.mediainfo === 'object' ? loose.mediainfo : {},
      source: loose.currentSource() || {}
    }),

    chapters() {
      const track = chaptersTrack();
      if (!track) return [];
      // Browsers load no cues for a disabled track; hidden loads them and shows nothing.
      if (track.mode === 'disabled') track.mode = 'hidden';
      return Array.from((track.cues ?? []) as ArrayLike<ChapterCue>);
    },

    onChapters(listener) {
      // Remote tracks come late (and go): look again then, and follow each track's cue changes.
      let watched: TextTrack | undefined;
      const look = () => {
        const track = chaptersTrack();
        if (track === watched) return;
        watched = track;
        if (!track) return;
        if (!followed.has(track)) {
          followed.add(track);
          listen(track, 'cuechange', listener);
        }
        // Browsers load no cues for a disabled track; hidden loads them and shows nothing.
        if (track.mode === 'disabled') track.mode = 'hidden';
        listener();
      };
      listen(player.textTracks(), 'addtrack removetrack', look);
      listen(player, 'loadedmetadata', look);
      look();
    },

    addChapters(chapters) {
      const track = player.addTextTrack('chapters', 'Chapters') as unknown as TextTrack;
      for (const { start, end, name } of chapters) track.addCue(new VTTCue(start, end, name ?? ''));
    },

    states: (): Record<StandardState, boolean> => ({
      fullscreen: !!player.isFullscreen(),
      mute: !!player.muted() || player.volume() === 0,
      closedCaptioning: textTracks().some((track) => track.mode === 'showing' && /^(captions|subtitles)$/.test(track.kind)),
      pictureInPicture: !!player.isInPictureInPicture(),
      inFocus: document.visibilityState === 'visible' && document.hasFocus()
    }),

    onStates(listener) {
      listen(player, 'fullscreenchange volumechange enterpictureinpicture leavepictureinpicture', listener);
      listen(player.textTracks(), 'change addtrack removetrack', listener);
      listen(document, 'visibilitychange', listener);
      listen(window, 'focus blur', listener);
    },

    bitrate() {
      const levels = qualityLevels();
      const level = levels && levels[levels.selectedIndex];
      return level?.bitrate ? Math.round(level.bitrate / 1000) : undefined;
    },

    frames: () => (player.tech(true)?.el() as HTMLVideoElement | undefined)?.getVideoPlaybackQuality?.() as FrameCounts | undefined,

    onRendition(listener) {
      const levels = qualityLevels();
      if (levels) listen(levels, 'change', listener);
    },

    onAds(stack) {
      const ads = () => (typeof loose.ads?.inAdBreak === 'function' ? loose.ads : undefined);
      const on = (types: string, listener: (event: Event) => void) => listen(player, types, listener);
      // contrib-ads' adstart: a break begins at the content position the player still reports.
      on('adstart', () => stack.breakStart(ads()?.adType ?? undefined));
      // contrib-ads' ads-ad-started (IMA triggers it for each linear ad, and for non-linear ones).
      on('ads-ad-started', () => {
        const state = ads();
        if (state?.inAdBreak()) stack.adStart(imaAd() ?? { id: state.ad?.id, length: state.ad?.duration });
      });
      on('ads-ad-ended', () => stack.adEnd('adComplete'));
      on('ads-ad-skipped adserror', () => stack.adEnd('adSkip'));
      on('adend', stack.breakEnd);
      // IMA tells the player nothing of an ad's end: its ads manager does.
      on('ads-manager', (event) => {
        const manager = (event as unknown as { adsManager: EventTarget }).adsManager;
        listen(manager, 'complete', () => stack.adEnd('adComplete'));
        listen(manager, 'skip', () => stack.adEnd('adSkip'));
        // IMA plays ads in an element of its own: their pauses come from its ads manager.
        listen(manager, 'pause', stack.paused);
        listen(manager, 'resume', stack.playing);
      });
      // contrib-ads renames the media events of an ad played in the content's element ("ad" + type),
      // in a break. IMA pauses the content's element behind its own: those say nothing of the ad.
      const own = (handler: () => void) => () => !loose.ima && ads()?.inAdBreak() && handler();
      on('adplaying', own(stack.playing));
      on('adpause', own(stack.paused));
      on('adwaiting', own(stack.waiting));
    }
  };
  return self;
}
