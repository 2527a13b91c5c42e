import type Player from 'video.js/dist/types/player';
import type { ApiEvent } from './delivery';
import type { Feature, FeatureHost, Playback } from './playback';
import { chaptersTrack, currentSrc, position } from './player-facts';

/** A chapter as the API sees it: a cue of a `chapters` text track. */
type Chapter = Pick<TextTrackCue, 'startTime' | 'endTime'> & { text?: string };

/** How close to its end (s) the playhead must be for a chapter that is left to count as complete. */
const END_SLACK = 1;

/**
 * Chapters (spec §3.1, §6.4) from the `chapters` text track of the player (or one the tracker
 * makes from `setChapters()`): `chapterStart` when a chapter becomes active, `chapterComplete`
 * when it plays to its end, `chapterSkip` when a seek leaves it. The track's `cuechange`
 * events mark the boundaries, so nothing runs on `timeupdate`.
 */
export class Chapters implements Feature {
  #track?: TextTrack;
  #open?: Chapter;
  #playback: Playback;
  #player: Player;
  #listen: FeatureHost['listen'];

  constructor({ playback, player, listen }: FeatureHost) {
    this.#playback = playback;
    this.#player = player;
    this.#listen = listen;
    const attach = () => this.attach();
    listen(player.textTracks(), 'addtrack', attach);
    listen(player.textTracks(), 'removetrack', attach);
    listen(player, 'loadedmetadata', attach);
    // Chromium fires no cuechange for a cue already active when the track loads: the first
    // frame looks again.
    listen(player, 'playing', () => this.#update());
    attach();
  }

  /** Follows the player's chapters track, once there is one (remote tracks come late), and forgets a removed one. */
  attach(): void {
    const track = chaptersTrack(this.#player);
    if (track === this.#track) return;
    this.#track = track;
    if (!track) return;
    // Browsers load no cues for a disabled track; hidden loads them and shows nothing.
    if (track.mode === 'disabled') track.mode = 'hidden';
    this.#listen(track, 'cuechange', () => this.#update());
    this.#update();
  }

  /** The chapter at the playhead: the cue that contains it. */
  #current(): Chapter | undefined {
    const at = position(this.#player);
    return Array.from((this.#track?.cues ?? []) as ArrayLike<Chapter>).find((cue) => cue.startTime <= at && at < cue.endTime);
  }

  /** Sends what changed since the last look at the playhead's chapter. */
  #update(): void {
    // A new source's track can come before its loadstart: only the session's own media counts.
    if (!this.#playback.active || this.#playback.session!.src !== currentSrc(this.#player)) return;
    const cue = this.#current();
    if (cue === this.#open) return;
    const at = position(this.#player);
    if (this.#open) {
      // A seek leaves the chapter where it began (the default playhead); playing on ends it here.
      const { startTime, endTime } = this.#open;
      if (Math.abs(at - endTime) <= END_SLACK) this.#playback.emit('chapterComplete', undefined, false, at);
      // The player may already report the seek's target (the cue can change before `seeking`):
      // the chapter was left inside it, where playback stood.
      else if (at >= startTime && at < endTime) this.#playback.emit('chapterSkip');
      else this.#playback.emit('chapterSkip', undefined, false, Math.min(endTime, Math.max(startTime, this.#playback.session!.extrapolate())));
    }
    this.#open = cue;
    if (cue) this.#playback.emit('chapterStart', this.#start(cue), false, at);
  }

  context(): Array<[string, Partial<ApiEvent>]> {
    this.#open = this.#current();
    return this.#open ? [['chapterStart', this.#start(this.#open)]] : [];
  }

  end(eventType: string): void {
    // The last chapter ends with the content: close it before sessionComplete.
    if (eventType === 'sessionComplete' && this.#open) {
      this.#playback.emit('chapterComplete');
      this.#open = undefined;
    }
  }

  #start(cue: Chapter): Partial<ApiEvent> {
    const cues = Array.from((this.#track?.cues ?? []) as ArrayLike<Chapter>);
    const params: Record<string, unknown> = {
      'media.chapter.index': cues.indexOf(cue) + 1 || 1,
      'media.chapter.offset': cue.startTime,
      'media.chapter.length': Math.max(0, Math.round((cue.endTime - cue.startTime) * 1000) / 1000)
    };
    if (cue.text) params['media.chapter.friendlyName'] = cue.text;
    return { params };
  }
}
