// @vitest-environment node
// Adobe's Streaming Media metrics computed from a session's accepted events (demo/emulator/metrics.mjs),
// and the emulator's report of them (report() and GET /__emulator/scopes/<scope>/report).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, startEmulator } from '../../demo/emulator/emulator.mjs';
import { metricsOf, pictureOf } from '../../demo/emulator/metrics.mjs';
import { PARAMS, T0 } from './fixtures';

type Event = { eventType: string; ts: number; playhead: number; params: Record<string, unknown>; qoeData?: Record<string, unknown> };

/**
 * An event `t` seconds into the session. Events that Adobe's tables put at the same second are
 * written a millisecond or two apart (ts must grow by at least 1 ms), hence the 0.02 s tolerance
 * of the time figures below.
 */
const at = (
  t: number,
  eventType: string,
  playhead = 0,
  params: Record<string, unknown> = {},
  qoeData?: Record<string, unknown>
): Event => ({
  eventType,
  ts: T0 + Math.round(t * 1000),
  playhead,
  params,
  ...(qoeData ? { qoeData } : {})
});

const start = (params: Record<string, unknown> = {}, qoeData?: Record<string, unknown>) => at(0, 'sessionStart', 0, params, qoeData);
/** The ad and chapter events with the params the API requires (the report test sends them). */
const breakStart = (t: number, playhead: number, index: number, name?: string) =>
  at(t, 'adBreakStart', playhead, {
    'media.ad.podIndex': index,
    'media.ad.podSecond': playhead,
    ...(name ? { 'media.ad.podFriendlyName': name } : {})
  });
const adStart = (t: number, playhead: number, id: string, position: number, length: number, name?: string) =>
  at(t, 'adStart', playhead, {
    'media.ad.id': id,
    'media.ad.length': length,
    'media.ad.podPosition': position,
    'media.ad.playerName': 'Sample Player',
    ...(name ? { 'media.ad.name': name } : {})
  });
const chapterStart = (t: number, playhead: number, index: number, offset = playhead, length = 10) =>
  at(t, 'chapterStart', playhead, { 'media.chapter.index': index, 'media.chapter.offset': offset, 'media.chapter.length': length });

/** The report as name → value, and the metric of one name. */
const values = (events: Event[]) => Object.fromEntries(metricsOf(events).map((m) => [m.name, m.value]));
const metric = (events: Event[], name: string) => metricsOf(events).find((m) => m.name === name)!;

/** Time figures in seconds, within the timelines' few milliseconds of offsets. */
function expectTimes(events: Event[], expected: Record<string, number>) {
  const got = values(events);
  for (const [name, value] of Object.entries(expected))
    expect(Math.abs((got[name] as number) - value), `${name}: ${got[name]}`).toBeLessThan(0.02);
}

// Adobe's Media Collection API timelines (Experience League, "Timeline 1 - View to end of
// content", "Timeline 2 - User abandons session", "Timeline 3 - Chapters";
// media-analytics/using/media-use-cases/timelines/…): each action with its second on the clock
// and the content's playhead. The timelines state no metric values; the expected figures are
// what their clock gives, and the content time spent agrees with the playhead where it ends.

/** Timeline 1: VOD, a pre-roll of two ads, buffering, a mid-roll, a pause, to the end. */
const TIMELINE_1 = [
  start(),
  breakStart(0.001, 0, 0, 'ad_pod1'),
  adStart(0.002, 0, '001', 1, 15, 'Ad 1'),
  at(1, 'ping'),
  at(2, 'ping'),
  at(3, 'ping'),
  at(15, 'adComplete'),
  adStart(15.001, 0, '002', 2, 7),
  at(20, 'ping'),
  at(22, 'adComplete'),
  at(22.001, 'adBreakComplete'),
  at(22.002, 'play'),
  at(30, 'ping', 8),
  at(33, 'bufferStart', 11),
  at(36, 'play', 11),
  at(40, 'ping', 15),
  breakStart(46, 21, 1),
  adStart(46.001, 21, '003', 1, 8),
  at(50, 'ping', 21),
  at(54, 'adComplete', 21),
  at(54.001, 'adBreakComplete', 21),
  // No play after the mid-roll: the playhead moves on (21 → 27), the content plays.
  at(60, 'ping', 27),
  at(64, 'pauseStart', 31),
  at(70, 'ping', 31),
  at(74, 'play', 31),
  at(80, 'ping', 37),
  at(88, 'sessionComplete', 45)
];

/** Timeline 2: a pre-roll, an error, a mid-roll, and the viewer leaves during its ad. */
const TIMELINE_2 = [
  start(),
  breakStart(0.001, 0, 0),
  adStart(0.002, 0, '001', 1, 12),
  at(1, 'ping'),
  at(12, 'adComplete'),
  at(12.001, 'adBreakComplete'),
  at(12.002, 'play'),
  at(20, 'ping', 8),
  at(30, 'ping', 18),
  at(32, 'error', 20, {}, { 'media.qoe.errorID': 'error-id', 'media.qoe.errorSource': 'player' }),
  at(37, 'play', 20),
  at(40, 'ping', 28),
  breakStart(45, 33, 1),
  adStart(45.001, 33, '002', 1, 10),
  at(48, 'sessionEnd', 33)
];

/** Timeline 3: timeline 1 with two chapters, around the mid-roll. */
const TIMELINE_3 = [
  start(),
  breakStart(0.001, 0, 0),
  adStart(0.002, 0, '001', 1, 15),
  at(10, 'ping'),
  at(15, 'adComplete'),
  adStart(15.001, 0, '002', 2, 7),
  at(16, 'ping'),
  at(22, 'adComplete'),
  at(22.001, 'adBreakComplete'),
  at(22.002, 'play'),
  chapterStart(23, 1, 1, 0, 21),
  at(30, 'ping', 8),
  at(33, 'bufferStart', 11),
  at(36, 'play', 11),
  at(40, 'ping', 15),
  at(45, 'chapterComplete', 20),
  breakStart(46, 21, 1),
  adStart(46.001, 21, '003', 1, 8),
  at(47, 'ping', 21),
  at(54, 'adComplete', 21),
  at(54.001, 'adBreakComplete', 21),
  chapterStart(55, 22, 2, 22, 23),
  at(60, 'ping', 27),
  at(64, 'pauseStart', 31),
  at(70, 'ping', 31),
  at(74, 'play', 31),
  at(80, 'ping', 37),
  at(87, 'chapterComplete', 44),
  at(88, 'sessionComplete', 45)
];

describe("Adobe's timelines", () => {
  it('timeline 1: 45 s of content (its last playhead), 30 s of ads, one pause of 10 s, one stall of 3 s', () => {
    expect(values(TIMELINE_1)).toMatchObject({
      'Media starts': 1,
      'Content resumes': 0,
      'Content starts': 1,
      'Content completes': 1,
      'Pause events': 1,
      'Buffer events': 1,
      'Ad breaks': 2,
      'Ad starts': 3,
      'Ad completes': 3,
      'Chapter starts': 0,
      'Chapter completes': 0,
      'Error events': 0
    });
    // Content: 22–33, 36–46, 54–64 and 74–88 s; ads: 0–15, 15–22 and 46–54 s.
    expectTimes(TIMELINE_1, {
      'Content time spent': 45,
      'Ad time spent': 30,
      'Media time spent': 75,
      'Total pause duration': 10,
      'Total buffer duration': 3,
      'Chapter time spent': 0
    });
  });

  it('timeline 2: abandoned in the mid-roll, no complete, one error, an ad started and not completed', () => {
    expect(values(TIMELINE_2)).toMatchObject({
      'Media starts': 1,
      'Content starts': 1,
      'Content completes': 0,
      'Ad breaks': 2,
      'Ad starts': 2,
      'Ad completes': 1,
      'Error events': 1,
      'Pause events': 0,
      'Buffer events': 0
    });
    // Content from 12 s to the mid-roll at 45 s: 33 s, the playhead there. (The timeline's own
    // playheads stand at 20 from the error at 32 s to the play at 37 s, then jump to 28 at 40 s.)
    // The ads: 0–12 s, and 45–48 s until the sessionEnd.
    expectTimes(TIMELINE_2, { 'Content time spent': 33, 'Ad time spent': 15, 'Media time spent': 48 });
    expect(metric(TIMELINE_2, 'Content time spent').note).toMatch(/error does not stop play time \(Adobe does not say\)/);
  });

  it("timeline 3: two chapters started and completed, 41 s of chapter time (the chapters' playheads)", () => {
    expect(values(TIMELINE_3)).toMatchObject({ 'Chapter starts': 2, 'Chapter completes': 2, 'Content completes': 1, 'Ad starts': 3 });
    // Chapter 1: 23–33 and 36–45 s (playhead 1 → 20); chapter 2: 55–64 and 74–87 s (22 → 44).
    expectTimes(TIMELINE_3, { 'Chapter time spent': 41, 'Content time spent': 45, 'Ad time spent': 30, 'Media time spent': 75 });
  });
});

describe('each metric', () => {
  it('gives every metric with its unit, in a fixed order, and a note where Adobe decides on its server', () => {
    const report = metricsOf(TIMELINE_1);
    expect(report.map((m) => [m.name, m.unit])).toEqual([
      ['Media starts', 'count'],
      ['Content resumes', 'count'],
      ['Content starts', 'count'],
      ['Content completes', 'count'],
      ['Content time spent', 's'],
      ['Media time spent', 's'],
      ['Pause events', 'count'],
      ['Total pause duration', 's'],
      ['Ad breaks', 'count'],
      ['Ad starts', 'count'],
      ['Ad completes', 'count'],
      ['Ad time spent', 's'],
      ['Chapter starts', 'count'],
      ['Chapter completes', 'count'],
      ['Chapter time spent', 's'],
      ['Time to start', 's'],
      ['Average bitrate', 'kbps'],
      ['Bitrate changes', 'count'],
      ['Buffer events', 'count'],
      ['Total buffer duration', 's'],
      ['Dropped frames', 'frames'],
      ['Error events', 'count']
    ]);
    // Every time figure says what the emulator cannot know of Adobe's clock.
    for (const m of report.filter((m) => m.unit === 's' && m.name !== 'Time to start')) {
      expect(m.note, m.name).toMatch(/ts .*5 s or 10 events .*1 s/);
    }
    expect(metric(TIMELINE_1, 'Ad breaks').note).toMatch(/Adobe has no metric of this name/);
    expect(metric(TIMELINE_1, 'Media starts')).not.toHaveProperty('note');
  });

  it('an empty session, or one that only started, counts a media start and no time', () => {
    expect(values([])).toMatchObject({ 'Media starts': 0, 'Content time spent': 0, 'Time to start': null, 'Average bitrate': null });
    const started = [start(), at(10, 'ping'), at(20, 'ping')];
    expect(values(started)).toMatchObject({ 'Media starts': 1, 'Content starts': 0, 'Content time spent': 0, 'Media time spent': 0 });
  });

  it('media.resume counts a Content resume instead of a Media start, and says so', () => {
    const resumed = [start({ 'media.resume': true }), at(1, 'play'), at(11, 'ping', 10)];
    expect(values(resumed)).toMatchObject({ 'Media starts': 0, 'Content resumes': 1, 'Content starts': 1, 'Content time spent': 10 });
    expect(metric(resumed, 'Media starts').note).toMatch(/Content resume instead/);
    expect(metric(resumed, 'Content starts').note).toMatch(/does not say whether a resumed session counts/);
  });

  it('content starts with the first play outside a break, also a play before the pre-roll (as Adobe counts it)', () => {
    // A play inside the pre-roll's ad is the ad's; the viewer leaves before the content.
    const leftInAd = [start(), breakStart(0.001, 0, 0), adStart(0.002, 0, 'a', 1, 2), at(0.5, 'play'), at(2, 'sessionEnd')];
    expect(values(leftInAd)).toMatchObject({ 'Content starts': 0, 'Ad starts': 1, 'Content time spent': 0 });
    expectTimes(leftInAd, { 'Ad time spent': 2 });
    const playFirst = [start(), at(0.001, 'play'), breakStart(0.002, 0, 0), adStart(0.003, 0, 'a', 1, 2), at(2, 'sessionEnd')];
    expect(values(playFirst)).toMatchObject({ 'Content starts': 1 });
    expect(values(playFirst)['Content time spent']).toBeLessThan(0.01);
  });

  it('content completes only with sessionComplete, and nothing counts after it', () => {
    const events = [
      start(),
      at(1, 'play'),
      at(11, 'ping', 10),
      at(21, 'sessionComplete', 20),
      at(40, 'pauseStart', 20),
      at(50, 'sessionEnd', 20)
    ];
    expect(values(events)).toMatchObject({
      'Content completes': 1,
      'Content time spent': 20,
      'Pause events': 0,
      'Total pause duration': 0
    });
    expect(values(events.slice(0, 3))).toMatchObject({ 'Content completes': 0, 'Content time spent': 10 });
  });

  it('content time spent counts play time by ts, not by playhead: a seek back counts the time played', () => {
    const events = [
      start(),
      at(1, 'play'),
      at(11, 'pauseStart', 10),
      at(11.5, 'play', 2), // a seek back from 10 s to 2 s
      at(21.5, 'ping', 12),
      at(25, 'sessionEnd', 15.5)
    ];
    expectTimes(events, { 'Content time spent': 10 + 13.5, 'Total pause duration': 0.5 });
    expect(values(events)['Pause events']).toBe(1);
    expect(metric(events, 'Pause events').note).toMatch(/seek sent as pauseStart … play counts too/);
  });

  it('an open session counts up to its last event', () => {
    expectTimes([start(), at(1, 'play'), at(11, 'ping', 10)], { 'Content time spent': 10, 'Media time spent': 10 });
  });

  it('orders the events by ts, as Adobe reorders them', () => {
    const late = [start(), at(1, 'play'), at(21, 'ping', 20), at(11, 'pauseStart', 10)];
    expectTimes(late, { 'Content time spent': 10, 'Total pause duration': 10 });
  });

  it('pause events count pauses, not pauseStarts, and a pause lasts to the next play, a stall inside it too', () => {
    const events = [
      start(),
      at(1, 'play'),
      at(5, 'pauseStart', 4),
      at(7, 'pauseStart', 4),
      at(9, 'bufferStart', 4),
      at(10, 'play', 4),
      at(12, 'pauseStart', 6),
      at(15, 'play', 6),
      at(16, 'sessionEnd', 7)
    ];
    expect(values(events)).toMatchObject({ 'Pause events': 2, 'Buffer events': 1 });
    expectTimes(events, { 'Total pause duration': 8, 'Total buffer duration': 1, 'Content time spent': 7 });
  });

  it('buffer events count stalls; a stall ends at the next play or pauseStart, or runs to the last event', () => {
    const events = [
      start(),
      at(0.5, 'bufferStart'),
      at(1, 'play'),
      at(3, 'bufferStart', 2),
      at(3.5, 'bufferStart', 2),
      at(5, 'pauseStart', 2),
      at(6, 'play', 2),
      at(8, 'bufferStart', 4),
      at(9, 'ping', 4)
    ];
    expect(values(events)['Buffer events']).toBe(3);
    expectTimes(events, { 'Total buffer duration': 0.5 + 2 + 1, 'Total pause duration': 1, 'Content time spent': 4 });
  });

  it('ad breaks, ad starts and completes: a skip is no completion, ad events outside a break are ignored', () => {
    const events = [
      start(),
      adStart(0.001, 0, 'stray', 1, 2),
      at(0.002, 'adComplete'),
      at(0.003, 'play'),
      breakStart(10, 10, 2),
      adStart(10.001, 10, 'a', 1, 2),
      at(12, 'adComplete', 10),
      adStart(12.001, 10, 'b', 1, 2),
      at(13, 'adSkip', 10),
      at(13.001, 'adBreakComplete', 10),
      at(20, 'ping', 17)
    ];
    expect(values(events)).toMatchObject({ 'Ad breaks': 1, 'Ad starts': 2, 'Ad completes': 1 });
    expectTimes(events, { 'Ad time spent': 3, 'Content time spent': 17, 'Media time spent': 20 });
    expect(metric(events, 'Ad starts').note).toBe('1 adStart outside an ad break ignored, as Adobe ignores them.');
  });

  it('ad time spent leaves out pauses in an ad and the gaps between ads, and says so of the gaps', () => {
    const events = [
      start(),
      breakStart(0.001, 0, 0),
      adStart(1, 0, 'a', 1, 2),
      at(3, 'pauseStart'),
      at(5, 'play'),
      at(7, 'adComplete'),
      adStart(8, 0, 'b', 1, 2),
      at(10, 'adComplete'),
      at(10.001, 'adBreakComplete'),
      at(10.002, 'play')
    ];
    expectTimes(events, { 'Ad time spent': 6, 'Total pause duration': 2, 'Content time spent': 0 });
    expect(metric(events, 'Ad time spent').note).toMatch(
      /^Play time from each adStart to its adComplete or adSkip\. 2 s in breaks outside any ad/
    );
    expect(metric(events, 'Content starts').value).toBe(1);
  });

  it('chapter starts, completes (a skip is none) and time spent, content time only', () => {
    const events = [
      start(),
      at(1, 'play'),
      chapterStart(1.001, 0, 1),
      at(5, 'pauseStart', 4),
      at(6, 'play', 4),
      at(11, 'chapterComplete', 9),
      chapterStart(11.001, 9, 2),
      at(12, 'chapterSkip', 10),
      chapterStart(15, 13, 3),
      at(16, 'ping', 14)
    ];
    expect(values(events)).toMatchObject({ 'Chapter starts': 3, 'Chapter completes': 1 });
    expectTimes(events, { 'Chapter time spent': 9 + 1 + 1, 'Content time spent': 14 });
  });

  it('time to start: the first media.qoe.timeToStart, in seconds', () => {
    const events = [start({}, { 'media.qoe.timeToStart': 1250 }), at(1, 'play', 0, {}, { 'media.qoe.timeToStart': 900 })];
    expect(metric(events, 'Time to start')).toMatchObject({ value: 1.25, unit: 's' });
    expect(metric([start()], 'Time to start')).toEqual({
      name: 'Time to start',
      value: null,
      unit: 's',
      note: 'No media.qoe.timeToStart received.'
    });
  });

  it('average bitrate: weighted by the play time each value was current; bitrate changes counted', () => {
    const events = [
      start({}, { 'media.qoe.bitrate': 1000 }),
      at(1, 'play'),
      at(11, 'bitrateChange', 10, {}, { 'media.qoe.bitrate': 4000 }),
      at(16, 'pauseStart', 15),
      at(100, 'play', 15), // the pause does not weigh
      at(105, 'ping', 20)
    ];
    // 10 s at 1000 and 10 s at 4000.
    expect(values(events)).toMatchObject({ 'Average bitrate': 2500, 'Bitrate changes': 1 });
    expect(metric(events, 'Average bitrate').note).toMatch(/duration each bitrate was active/);
    // Before any play time: the last value sent.
    expect(values([start({}, { 'media.qoe.bitrate': 800 })])['Average bitrate']).toBe(800);
  });

  it('dropped frames: the last value received; error events: every error', () => {
    const events = [
      start(),
      at(1, 'play', 0, {}, { 'media.qoe.droppedFrames': 0 }),
      at(5, 'error', 4, {}, { 'media.qoe.errorID': 'e1', 'media.qoe.droppedFrames': 7 }),
      at(6, 'error', 4, {}, { 'media.qoe.errorID': 'e2' }),
      at(11, 'ping', 9, {}, { 'media.qoe.droppedFrames': 12 })
    ];
    expect(values(events)).toMatchObject({ 'Dropped frames': 12, 'Error events': 2 });
    expect(metric([start()], 'Dropped frames').value).toBeNull();
  });
});

describe('pictureOf', () => {
  it('draws timeline 1 as back-to-back spans, with its breaks, ads and marks', () => {
    const picture = pictureOf(TIMELINE_1);
    const s = (ts: number) => Math.round((ts - T0) / 100) / 10;
    // The millisecond spans between adjacent events are left out of the comparison.
    const spans = picture.spans.filter((span) => span.to - span.from > 10).map((span) => [s(span.from), s(span.to), span.kind]);
    expect(spans).toEqual([
      [0, 15, 'ad'],
      [15, 22, 'ad'],
      [22, 33, 'content'],
      [33, 36, 'buffering'],
      [36, 46, 'content'],
      [46, 54, 'ad'],
      [54, 64, 'content'],
      [64, 74, 'paused'],
      [74, 88, 'content']
    ]);
    expect(picture.spans.every((span, i) => i === 0 || span.from === picture.spans[i - 1].to)).toBe(true);
    expect([s(picture.start!), s(picture.end!)]).toEqual([0, 88]);
    expect(picture.breaks.map((b) => [s(b.from), s(b.to), b.index, b.name, b.closed])).toEqual([
      [0, 22, 0, 'ad_pod1', true],
      [46, 54, 1, null, true]
    ]);
    expect(picture.ads.map((a) => [a.id, a.name, s(a.from), s(a.to), a.end])).toEqual([
      ['001', 'Ad 1', 0, 15, 'complete'],
      ['002', null, 15, 22, 'complete'],
      ['003', null, 46, 54, 'complete']
    ]);
    expect(picture.marks).toEqual([{ ts: T0 + 88000, eventType: 'sessionComplete' }]);
  });

  it('closes what is open at the end: the abandoned ad and break, a chapter', () => {
    const picture = pictureOf(TIMELINE_2);
    expect(picture.ads.at(-1)).toMatchObject({ id: '002', to: T0 + 48000, end: null });
    expect(picture.breaks.at(-1)).toMatchObject({ to: T0 + 48000, closed: false });
    expect(picture.marks.map((m) => m.eventType)).toEqual(['error', 'sessionEnd']);
    const chapters = pictureOf(TIMELINE_3).chapters.map((c) => [c.index, c.end]);
    expect(chapters).toEqual([
      [1, 'complete'],
      [2, 'complete']
    ]);
    expect(pictureOf([start(), at(1, 'play'), chapterStart(2, 1, 1), at(5, 'ping', 4)]).chapters).toEqual([
      { from: T0 + 2000, to: T0 + 5000, index: 1, name: null, end: null }
    ]);
  });
});

describe("the emulator's report", () => {
  const body = (e: Event) => ({
    eventType: e.eventType,
    playerTime: { playhead: e.playhead, ts: e.ts },
    ...(Object.keys(e.params).length ? { params: e.params } : {}),
    ...(e.qoeData ? { qoeData: e.qoeData } : {})
  });

  /** Sends `events` (a sessionStart first) through `receive` and returns the session's id. */
  function play(emulator: ReturnType<typeof createEmulator>, scope: string, events: Event[]) {
    const [first, ...rest] = events;
    const started = emulator.receive({ scope, path: '/api/v1/sessions', body: body({ ...first, params: { ...PARAMS, ...first.params } }) });
    expect(started.status).toBe(201);
    const sid = started.headers.Location.split('/').pop()!;
    for (const e of rest) emulator.receive({ scope, path: `/api/v1/sessions/${sid}/events`, body: body(e) });
    return sid;
  }

  it('report(scope, sid?): the metrics and the picture of each session, from its accepted events only', () => {
    const emulator = createEmulator();
    const first = play(emulator, 'r', TIMELINE_1);
    const second = play(emulator, 'r', [
      start({}, { 'media.qoe.timeToStart': 500 }),
      at(1, 'play', 0, {}, { 'media.qoe.bitrate': 1200 }),
      at(11, 'ping', 10)
    ]);
    // Refused requests do not count: a ping with params (400), then events after sessionEnd (410).
    emulator.receive({ scope: 'r', path: `/api/v1/sessions/${second}/events`, body: { ...body(at(12, 'ping', 11)), params: { x: '1' } } });
    emulator.receive({ scope: 'r', path: `/api/v1/sessions/${second}/events`, body: body(at(15, 'sessionEnd', 14)) });
    emulator.receive({ scope: 'r', path: `/api/v1/sessions/${second}/events`, body: body(at(30, 'play', 14)) });

    const report = emulator.report('r');
    expect(report.sessions.map((s) => [s.sid, s.state])).toEqual([
      [first, 'complete'],
      [second, 'closed']
    ]);
    expect(report.sessions[0].metrics).toEqual(metricsOf(TIMELINE_1));
    expect(report.sessions[0].picture).toEqual(pictureOf(TIMELINE_1));
    const named = Object.fromEntries(report.sessions[1].metrics.map((m) => [m.name, m.value]));
    expect(named).toMatchObject({ 'Content time spent': 14, 'Time to start': 0.5, 'Average bitrate': 1200, 'Content completes': 0 });
    expect(emulator.report('r', second)).toEqual({ sessions: [report.sessions[1]] });
    expect(emulator.report('r', 'nope')).toEqual({ sessions: [] });
    expect(emulator.report('elsewhere')).toEqual({ sessions: [] });
  });

  describe('GET /__emulator/scopes/<scope>/report', () => {
    let server: Awaited<ReturnType<typeof startEmulator>>;
    beforeAll(async () => {
      server = await startEmulator({ port: 0 });
    });
    afterAll(() => server.close());

    it('serves the report as JSON, for the scope or one session (?sid=), and 404 for an unknown sid', async () => {
      const sid = play(server.emulator, 'http-report', TIMELINE_3);
      const url = `${server.url}/__emulator/scopes/http-report/report`;
      const all = await fetch(url);
      expect(all.status).toBe(200);
      expect(all.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(all.headers.get('access-control-allow-origin')).toBe('*');
      const json = await all.json();
      expect(json).toEqual(server.emulator.report('http-report'));
      expect(json.sessions).toHaveLength(1);
      expect(json.sessions[0].metrics.find((m: { name: string }) => m.name === 'Chapter starts').value).toBe(2);
      expect(await (await fetch(`${url}?sid=${sid}`)).json()).toEqual(json);
      const unknown = await fetch(`${url}?sid=abc`);
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ message: 'Unknown session id abc' });
      expect(await (await fetch(`${server.url}/__emulator/scopes/empty-scope/report`)).json()).toEqual({ sessions: [] });
    });
  });
});
