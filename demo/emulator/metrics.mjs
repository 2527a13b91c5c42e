// Adobe's Streaming Media metrics of one session, computed from the events the emulator accepted,
// by the definitions of Adobe's metric pages ("Streaming media metrics", Experience League,
// https://experienceleague.adobe.com/en/docs/media-analytics/using/reporting/metrics/overview and
// one page per metric beside it), and a picture of the session: what played when.
//
// Adobe computes all this on its backend and reports it when the session closes; the emulator
// computes it from the same events at once. Time is summed from the events' `playerTime.ts`: Adobe
// computes "heartbeat duration based on device timestamp, rather than playhead position" (its
// Media Collection API timelines). Where a definition needs Adobe's server (its clock, its
// reordering of late events) or a rule Adobe does not publish, the metric says so in its `note`,
// and this file makes the choice written there.
//
// The model. The playback state is `starting` until the first `play`, then `playing`, `paused` or
// `buffering` as `play`, `pauseStart` and `bufferStart` set it (`error` does not change it, and
// nothing counts after `sessionComplete` or `sessionEnd`). Where the time goes depends on the ad
// context: inside an ad (adStart … adComplete | adSkip, in a break) it is ad time unless paused or
// buffering (an ad plays without a `play`, as in Adobe's timelines); inside a break but outside any
// ad it is neither; outside breaks, in the `playing` state, it is content time. An ad break does not
// change the playback state: after a mid-roll the content goes on playing without a `play`, as in
// Adobe's timeline 1 (its playhead moves from the break's end).

/** What every time metric shares: Adobe's clock rules the emulator cannot apply. */
const CLOCK =
  "Summed from the events' ts (the player's clock, as Adobe counts) up to the last event received. Adobe reorders late events " +
  'only within 5 s or 10 events (more than 1 s late may fail), reports at the close its own clock decides (10 min after the last ' +
  'event at the latest) and does not publish how it counts long gaps between events.';

/**
 * @typedef {object} AcceptedEvent One event as the emulator accepted it (emulator.mjs, `eventOf`).
 * @property {string} eventType
 * @property {number} ts `playerTime.ts`, ms since the epoch.
 * @property {number} playhead `playerTime.playhead`, s.
 * @property {Record<string, unknown>} params
 * @property {Record<string, unknown>} [qoeData] `media.qoe.bitrate` (kbps as the plugin sends it),
 *   `media.qoe.droppedFrames`, `media.qoe.timeToStart` (ms), …
 */

/**
 * @typedef {object} Metric One figure of the report, under Adobe's metric name.
 * @property {string} name
 * @property {number|null} value null when the session gave nothing to compute it from.
 * @property {'count'|'s'|'kbps'|'frames'} unit
 * @property {string} [note] What Adobe's definition needs that the emulator cannot know, or the
 *   rule it does not publish and the choice made here.
 */

/**
 * @typedef {object} Picture What played when, in ts (ms), for a drawing of the session.
 * @property {number|null} start The first event's ts.
 * @property {number|null} end The last event's ts.
 * @property {Array<{ from: number, to: number, kind: 'starting'|'content'|'ad'|'break'|'paused'|'buffering' }>} spans
 *   Back to back from the first event to the content's end: `content` and `ad` are play time,
 *   `break` is time in an ad break outside any ad.
 * @property {Array<{ from: number, to: number, index: unknown, name: string|null, closed: boolean }>} breaks
 * @property {Array<{ from: number, to: number, id: string|null, name: string|null, end: 'complete'|'skip'|null }>} ads
 * @property {Array<{ from: number, to: number, index: unknown, name: string|null, end: 'complete'|'skip'|null }>} chapters
 * @property {Array<{ ts: number, eventType: string }>} marks Errors and the content's end.
 */

const seconds = (ms) => Math.round(ms) / 1000;
const text = (value) => (typeof value === 'string' && value !== '' ? value : null);
const qoe = (event, key) => {
  const value = event.qoeData?.[`media.qoe.${key}`];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};

/**
 * The events in the order Adobe processes them: `sessionStart` first (Adobe handles it at once),
 * the others by ts (Adobe sorts what it buffers by ts; equal ts keep their order of arrival).
 */
function ordered(events) {
  const [first, ...rest] = events;
  if (first?.eventType !== 'sessionStart') return [...events].sort((a, b) => a.ts - b.ts);
  return [first, ...rest.sort((a, b) => a.ts - b.ts)];
}

/** Walks the session once: the counts, the times and the picture. */
function walk(events) {
  const list = ordered(events);
  const s = {
    resume: false,
    mediaStarts: 0,
    contentStarts: 0,
    contentCompletes: 0,
    content: 0,
    ad: 0,
    gap: 0,
    chapter: 0,
    pause: 0,
    buffer: 0,
    pauseEvents: 0,
    bufferEvents: 0,
    adBreaks: 0,
    adStarts: 0,
    adCompletes: 0,
    adsIgnored: 0,
    chapterStarts: 0,
    chapterCompletes: 0,
    errors: 0,
    bitrateChanges: 0,
    timeToStart: undefined,
    droppedFrames: undefined,
    bitrate: undefined,
    bitrateSum: 0,
    bitrateTime: 0,
    picture: { start: list[0]?.ts ?? null, end: list.at(-1)?.ts ?? null, spans: [], breaks: [], ads: [], chapters: [], marks: [] }
  };
  let state = 'starting';
  let pausing = false;
  let ended = false;
  let brk;
  let ad;
  let chapter;
  let previous;

  const span = (from, to, kind) => {
    const last = s.picture.spans.at(-1);
    if (last && last.kind === kind && last.to === from) last.to = to;
    else if (to > from) s.picture.spans.push({ from, to, kind });
  };
  const endAd = (ts, end) => {
    if (!ad) return;
    s.picture.ads.push({ ...ad, to: ts, end });
    ad = undefined;
  };
  const endBreak = (ts, closed) => {
    if (!brk) return;
    endAd(ts, null);
    s.picture.breaks.push({ ...brk, to: ts, closed });
    brk = undefined;
  };
  const endChapter = (ts, end) => {
    if (!chapter) return;
    s.picture.chapters.push({ ...chapter, to: ts, end });
    chapter = undefined;
  };

  /** Counts the time from the previous event to `ts` in the state the previous event left. */
  function elapse(from, to) {
    const dt = Math.max(0, to - from);
    if (ended || dt === 0) return;
    if (pausing) s.pause += dt;
    if (state === 'buffering') s.buffer += dt;
    let kind;
    if (state === 'paused' || state === 'buffering') kind = state;
    else if (ad) kind = 'ad';
    else if (brk) kind = 'break';
    else kind = state === 'playing' ? 'content' : 'starting';
    if (kind === 'content') {
      s.content += dt;
      if (chapter) s.chapter += dt;
    }
    if (kind === 'ad') s.ad += dt;
    if (kind === 'break') s.gap += dt;
    if ((kind === 'content' || kind === 'ad') && s.bitrate !== undefined) {
      s.bitrateSum += s.bitrate * dt;
      s.bitrateTime += dt;
    }
    span(from, from + dt, kind);
  }

  for (const e of list) {
    if (previous) elapse(previous.ts, e.ts);
    previous = e;
    if (ended) continue;
    const bitrate = qoe(e, 'bitrate');
    if (bitrate !== undefined) s.bitrate = bitrate;
    const dropped = qoe(e, 'droppedFrames');
    if (dropped !== undefined) s.droppedFrames = dropped;
    const startup = qoe(e, 'timeToStart');
    if (startup !== undefined && s.timeToStart === undefined) s.timeToStart = startup;
    const p = e.params ?? {};
    switch (e.eventType) {
      case 'sessionStart':
        s.resume = p['media.resume'] === true;
        s.mediaStarts = s.resume ? 0 : 1;
        break;
      case 'play':
        // Content starts: the first play of the main content, that is outside an ad break.
        if (!brk) s.contentStarts = 1;
        state = 'playing';
        pausing = false;
        break;
      case 'pauseStart':
        if (!pausing) s.pauseEvents += 1;
        state = 'paused';
        pausing = true;
        break;
      case 'bufferStart':
        if (state !== 'buffering') s.bufferEvents += 1;
        state = 'buffering';
        break;
      case 'adBreakStart':
        endBreak(e.ts, false);
        s.adBreaks += 1;
        brk = { from: e.ts, index: p['media.ad.podIndex'] ?? null, name: text(p['media.ad.podFriendlyName']) };
        break;
      case 'adStart':
        // Adobe ignores ad events outside a break (and counts their time as content).
        if (!brk) {
          s.adsIgnored += 1;
          break;
        }
        endAd(e.ts, null);
        s.adStarts += 1;
        ad = { from: e.ts, id: text(p['media.ad.id']), name: text(p['media.ad.name']) };
        break;
      case 'adComplete':
      case 'adSkip':
        if (!ad) break;
        if (e.eventType === 'adComplete') s.adCompletes += 1;
        endAd(e.ts, e.eventType === 'adComplete' ? 'complete' : 'skip');
        break;
      case 'adBreakComplete':
        endBreak(e.ts, true);
        break;
      case 'chapterStart':
        endChapter(e.ts, null);
        s.chapterStarts += 1;
        chapter = { from: e.ts, index: p['media.chapter.index'] ?? null, name: text(p['media.chapter.friendlyName']) };
        break;
      case 'chapterComplete':
      case 'chapterSkip':
        if (!chapter) break;
        if (e.eventType === 'chapterComplete') s.chapterCompletes += 1;
        endChapter(e.ts, e.eventType === 'chapterComplete' ? 'complete' : 'skip');
        break;
      case 'bitrateChange':
        s.bitrateChanges += 1;
        break;
      case 'error':
        s.errors += 1;
        s.picture.marks.push({ ts: e.ts, eventType: 'error' });
        break;
      case 'sessionComplete':
      case 'sessionEnd':
        if (e.eventType === 'sessionComplete') s.contentCompletes = 1;
        s.picture.marks.push({ ts: e.ts, eventType: e.eventType });
        endBreak(e.ts, false);
        endChapter(e.ts, null);
        ended = true;
        break;
    }
  }
  // What is still open is drawn up to the last event.
  endBreak(s.picture.end, false);
  endChapter(s.picture.end, null);
  s.picture.ads.sort((a, b) => a.from - b.from);
  s.picture.breaks.sort((a, b) => a.from - b.from);
  return s;
}

/**
 * The Streaming Media metrics of one session, under Adobe's names, from its accepted events.
 *
 * @param {AcceptedEvent[]} events The session's accepted events, as received.
 * @returns {Metric[]}
 */
export function metricsOf(events) {
  const s = walk(events);
  const metric = (name, value, unit, note) => (note ? { name, value, unit, note } : { name, value, unit });
  // Time in a break outside any ad: a few ms between events are no news, a quarter second is.
  const gap =
    s.gap >= 250
      ? ` ${seconds(s.gap)} s in breaks outside any ad count as neither ad nor content: Adobe does not say (its SDK credits gaps over 250 ms to content).`
      : '';
  return [
    metric('Media starts', s.mediaStarts, 'count', s.resume ? 'media.resume is true: Adobe counts a Content resume instead.' : undefined),
    metric('Content resumes', s.resume ? 1 : 0, 'count'),
    metric(
      'Content starts',
      s.contentStarts,
      'count',
      s.resume && s.contentStarts ? 'Adobe does not say whether a resumed session counts a Content start; counted here.' : undefined
    ),
    metric('Content completes', s.contentCompletes, 'count'),
    metric(
      'Content time spent',
      seconds(s.content),
      's',
      `Play time outside ad breaks; after a break the content plays on without a play, as in Adobe's timeline 1.` +
        (s.errors ? ' An error does not stop play time (Adobe does not say).' : '') +
        ` ${CLOCK}`
    ),
    metric('Media time spent', seconds(s.content + s.ad), 's', `Content time spent plus ad time spent. ${CLOCK}`),
    metric(
      'Pause events',
      s.pauseEvents,
      'count',
      'Each pauseStart that begins a pause. The API has no seek events: a seek sent as pauseStart … play counts too.'
    ),
    metric(
      'Total pause duration',
      seconds(s.pause),
      's',
      `From each pauseStart to the next play (a bufferStart in between does not end it); a pause still open runs to the last event. ${CLOCK}`
    ),
    metric(
      'Ad breaks',
      s.adBreaks,
      'count',
      'Adobe has no metric of this name: the adBreakStart events received (each one an item of its Ad pod dimension).'
    ),
    metric(
      'Ad starts',
      s.adStarts,
      'count',
      s.adsIgnored ? `${s.adsIgnored} adStart outside an ad break ignored, as Adobe ignores them.` : undefined
    ),
    metric('Ad completes', s.adCompletes, 'count'),
    metric('Ad time spent', seconds(s.ad), 's', `Play time from each adStart to its adComplete or adSkip.${gap} ${CLOCK}`),
    metric('Chapter starts', s.chapterStarts, 'count'),
    metric('Chapter completes', s.chapterCompletes, 'count'),
    metric('Chapter time spent', seconds(s.chapter), 's', `Content play time while a chapter is open, all chapters together. ${CLOCK}`),
    metric(
      'Time to start',
      s.timeToStart === undefined ? null : seconds(s.timeToStart),
      's',
      s.timeToStart === undefined
        ? 'No media.qoe.timeToStart received.'
        : 'The first media.qoe.timeToStart received (ms), in seconds as Adobe stores it.'
    ),
    metric(
      'Average bitrate',
      s.bitrateTime ? Math.round(s.bitrateSum / s.bitrateTime) : (s.bitrate ?? null),
      'kbps',
      s.bitrate === undefined
        ? 'No media.qoe.bitrate received.'
        : 'media.qoe.bitrate as sent (kbps, as Adobe reports it; the API reference says bps), weighted by the play time each value was ' +
            "current: Adobe weights by 'the duration each bitrate was active' and does not say whether pauses and stalls count." +
            (s.bitrateTime ? '' : ' No play time yet: the last value.')
    ),
    metric('Bitrate changes', s.bitrateChanges, 'count'),
    metric('Buffer events', s.bufferEvents, 'count'),
    metric(
      'Total buffer duration',
      seconds(s.buffer),
      's',
      `From each bufferStart to the next play or pauseStart; a stall still open runs to the last event. ${CLOCK}`
    ),
    metric(
      'Dropped frames',
      s.droppedFrames ?? null,
      'frames',
      s.droppedFrames === undefined
        ? 'No media.qoe.droppedFrames received.'
        : 'The last media.qoe.droppedFrames received, as Adobe reports the latest value.'
    ),
    metric('Error events', s.errors, 'count')
  ];
}

/**
 * What played when in one session, for a drawing: spans of play, pause, buffering, ad and break
 * time, the breaks, ads and chapters, and marks for errors and the end, all in ts.
 *
 * @param {AcceptedEvent[]} events The session's accepted events, as received.
 * @returns {Picture}
 */
export function pictureOf(events) {
  return walk(events).picture;
}
