import type { EventFields, EventType } from './events';
import type { FeatureDeps } from './context';
import type { ChapterCue } from './player/player';

/** How close to its end (s) the playhead must be for a chapter that is left to count as complete. */
const END_SLACK = 1;

/**
 * Chapters (spec §3.1, §6.4) from the `chapters` text track of the player (or one the tracker
 * makes from `setChapters()`): `chapterStart` when a chapter becomes active, `chapterComplete`
 * when it plays to its end, `chapterSkip` when a seek leaves it. The track's `cuechange`
 * events mark the boundaries, so nothing runs on `timeupdate`.
 */
export function createChapters({ playback, player }: FeatureDeps) {
  let open: ChapterCue | undefined;

  /** The chapter at the playhead: the cue that contains it. */
  const current = (at = player.position()) => player.chapters().find((cue) => cue.startTime <= at && at < cue.endTime);

  const start = (cue: ChapterCue): EventFields => ({
    chapter: {
      index: player.chapters().indexOf(cue) + 1 || 1,
      offset: cue.startTime,
      length: Math.max(0, Math.round((cue.endTime - cue.startTime) * 1000) / 1000),
      ...(cue.text ? { name: cue.text } : {})
    }
  });

  /** Sends what changed since the last look at the playhead's chapter. */
  const update = () => {
    // A new source's track can come before its loadstart: only the session's own media counts.
    // During an ad break the content stands still, and an ad played in its element moves the
    // player's time through the cues: the break's end looks again.
    if (!playback.active || playback.inBreak || playback.session!.src !== player.src()) return;
    const at = player.position();
    const cue = current(at);
    if (cue === open) return;
    if (open) {
      // A seek leaves the chapter where it began (the default playhead); playing on ends it here.
      const { startTime, endTime } = open;
      if (Math.abs(at - endTime) <= END_SLACK) playback.emit('chapterComplete', undefined, at);
      // The player may already report the seek's target (the cue can change before `seeking`):
      // the chapter was left inside it, where playback stood.
      else if (at >= startTime && at < endTime) playback.emit('chapterSkip');
      else playback.emit('chapterSkip', undefined, Math.min(endTime, Math.max(startTime, playback.session!.extrapolate())));
    }
    open = cue;
    if (cue) playback.emit('chapterStart', start(cue), at);
  };

  const self = {
    /**
     * A chapter that was open goes on in the new session (a restart): the one at the playhead
     * now. A new viewing's first chapter starts with the content's first `play`, after a
     * pre-roll (Adobe's chapter timeline).
     */
    context(): Array<[EventType, EventFields]> {
      // In a break the player's time may be an ad's.
      if (open && !playback.inBreak) open = current();
      return open ? [['chapterStart', start(open)]] : [];
    },

    /** The chapter at the playhead starts before the content's `play`. */
    beforePlay: () => update(),

    reset: () => (open = undefined),

    end(type: EventType): void {
      // The last chapter ends with the content: close it before sessionComplete.
      if (type === 'sessionComplete' && open) {
        playback.emit('chapterComplete');
        open = undefined;
      }
    }
  };
  // A chapters track that comes or goes (remote tracks come late), or a cue that becomes active.
  // While contrib-ads restores the content after a break (a new load, then a seek back), the
  // player's time passes through other cues: the content's `play` looks again.
  player.onChapters(() => {
    if (!playback.restoring) update();
  });
  return self;
}

/** The chapters feature of one tracker. */
export type Chapters = ReturnType<typeof createChapters>;
