import type { AdBreakFields, AdFields, AdTexts, EventFields, EventType } from './events';
import { checkCustomMetadata } from './options';
import type { FeatureDeps } from './context';

/** What a site reports of one ad through the tracker (`adStart`). */
export interface AdDetails extends AdTexts {
  /** The ad's id (`media.ad.id`). */
  id: string;
  /** Its length in seconds (`media.ad.length`). */
  length?: number;
  /** Its position in the break, from 1 (`media.ad.podPosition`); counted when left out. */
  position?: number;
  /** Custom metadata of this ad (spec §6.5). */
  customMetadata?: Record<string, unknown>;
}

/** What a site reports of one ad break through the tracker (`adBreakStart`). */
export interface AdBreakDetails {
  /** The break's index, from 1; counted per media item when left out. */
  index?: number;
  /** Where in the content the break stands, in seconds; the playhead when left out. */
  offset?: number;
  name?: string;
}

/** A count the site gave (an integer from 1), or the plugin's own. */
const counted = (given: unknown, own: number) => (Number.isInteger(given) && (given as number) > 0 ? (given as number) : own);

const OPTIONAL = ['name', 'advertiser', 'campaignId', 'creativeId', 'creativeURL', 'placementId', 'siteId'] as const;

/**
 * Ads (spec §3.1, §3.2, §6.4), from the player's ad stack (on video.js: videojs-contrib-ads
 * and the IMA plugin built on it, see `onAds`), or from the tracker's ad methods for other stacks. `adBreakStart` waits for the break's first
 * ad (a break without ads sends nothing), each ad's `adComplete` or `adSkip` waits until just
 * before the next `adStart` or `adBreakComplete` (so that no gap is counted as content), the
 * content playhead stands still during the break and `play` follows it.
 */
export function createAds({ playback, player, config, problem, warn }: FeatureDeps) {
  let breaks = 0;
  let pod: AdBreakFields | undefined;
  let podSent = false;
  let ad: AdFields | undefined;
  let count = 0;
  /** How the open ad ended, sent just before what follows it. */
  let ending: 'adComplete' | 'adSkip' | undefined;

  /** Pings at `ms`, when ads have their own interval. */
  const pace = (ms: number) => config.adPing !== config.ping && playback.active && playback.pace(ms);

  /** Sends the ended ad's `adComplete` or `adSkip` (a start or break end without one completes it). */
  const flush = () => {
    if (!ad) return;
    playback.emit(ending ?? 'adComplete');
    ad = ending = undefined;
    pace(config.ping);
  };

  const self = {
    /** Starts a break (tracker API or contrib-ads). */
    breakStart(details: AdBreakDetails = {}): void {
      if (pod) self.breakEnd('restore');
      const at = (details.offset as number) >= 0 ? Number(details.offset) : player.position();
      pod = { index: counted(details.index, ++breaks), offset: at };
      if (details.name) pod.name = String(details.name);
      count = 0;
      playback.enterBreak(at);
    },

    /** Starts an ad inside the break (tracker API, contrib-ads or IMA). */
    adStart(details: AdDetails): void {
      if (!pod || !details?.id) return problem('invalid-argument', 'adStart needs an ad break and an id');
      flush();
      if (!podSent) playback.emit('adBreakStart', { adBreak: pod });
      podSent = true;
      count = counted(details.position, count + 1);
      // The session adds the player name, the session's: its params may still wait for the
      // content's duration (a pre-roll).
      const next: AdFields = {
        id: String(details.id),
        length: Number(details.length) > 0 ? Number(details.length) : 0,
        position: count
      };
      for (const key of OPTIONAL) if (details[key]) next[key] = String(details[key]);
      // Custom metadata that is not an object, or keys and values the API refuses, only warn.
      const problems: string[] = [];
      const customMetadata = checkCustomMetadata(details.customMetadata, { errors: problems, warnings: problems }, 'ad customMetadata');
      problems.forEach(warn);
      if (Object.keys(customMetadata).length) next.customMetadata = customMetadata;
      ad = next;
      playback.emit('adStart', { ad });
      playback.adStarted();
      pace(config.adPing);
    },

    /**
     * The ad ended: `adComplete` or `adSkip`, sent just before what follows. A skip stays a
     * skip: some integrations trigger `ads-ad-ended` after `ads-ad-skipped`.
     */
    adEnd(how: 'adComplete' | 'adSkip'): void {
      if (!ad) return;
      if (ending !== 'adSkip') ending = how;
      playback.adEnded();
    },

    /** The break is over: the content is `restore`d in its element, or was `stitched` and played on through it (tracker API). */
    breakEnd(how: 'restore' | 'stitched'): void {
      if (!pod) return;
      flush();
      if (podSent) playback.emit('adBreakComplete');
      playback.exitBreak(podSent ? how : 'no-ads');
      pod = undefined;
      podSent = false;
    },

    // An ad is only open inside a break that was sent.
    context(): Array<[EventType, EventFields]> {
      if (!podSent) return [];
      return ad
        ? [
            ['adBreakStart', { adBreak: pod }],
            ['adStart', { ad }]
          ]
        : [['adBreakStart', { adBreak: pod }]];
    },

    reset: () => (breaks = 0)
  };

  player.onAds({
    breakStart(name) {
      // The viewer's play comes after the break's start when a pre-roll is ready: the session starts here.
      playback.sessions.autoStart(player.position());
      self.breakStart({ name });
    },
    adStart(ad) {
      // The ad shows: whatever the content did before (the integration pausing it) is over.
      playback.playing();
      self.adStart({ ...ad, id: ad.id || `${breaks}.${count + 1}` });
    },
    adEnd: self.adEnd,
    breakEnd: () => self.breakEnd('restore'),
    playing: playback.playing,
    paused: playback.paused,
    waiting: playback.waiting
  });
  return self;
}

/** The ads feature of one tracker. */
export type Ads = ReturnType<typeof createAds>;
