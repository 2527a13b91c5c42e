// The plugin on the Edge Network path, end to end in-process: its requests go to the emulator's
// Media Edge API (`receive`), which judges every body and the sequence rules.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createEmulator } from '../../demo/emulator/emulator.mjs';
import { takeLogs } from './setup';
import { T0, advance, createPlayer, settle } from './helpers';

const EDGE = 'https://edge.example/ee';
const EDGE_OPTIONS = { edge: { datastreamId: 'ds-1', endpoint: EDGE }, params: { 'media.channel': 'web' } };

let emulator: ReturnType<typeof createEmulator>;
/** The paths and bodies the plugin sent, in order. */
let sent: Array<{ path: string; type: string; xdm: Xdm }>;

/** What the tests read of an XDM event. */
interface Xdm {
  eventType: string;
  identityMap?: unknown;
  mediaCollection: Record<string, unknown>;
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  emulator = createEmulator();
  sent = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const path = url.slice('https://edge.example'.length);
      const type = (init.headers as Record<string, string>)['Content-Type'];
      sent.push({ path, type, xdm: JSON.parse(String(init.body)).events[0].xdm });
      const { status, headers, body } = emulator.receive({ path, body: String(init.body), contentType: type });
      return new Response(body == null ? null : JSON.stringify(body), { status, headers });
    })
  );
});

/** Every record of the emulator was accepted, valid and in sequence. */
function expectAccepted() {
  const records = emulator.records('default');
  expect(records.flatMap((r) => [...r.errors, ...r.violations])).toEqual([]);
  expect(records.every((r) => r.status === 200 || r.status === 204)).toBe(true);
  return records.map((r) => r.eventType);
}

describe('the Edge Network path', () => {
  it('tracks a viewing with an ad break, a chapter and a state, and exposes the Edge session id', async () => {
    const { player, play, pause, media } = createPlayer(EDGE_OPTIONS);
    const tracker = player.mediaCollection();
    const started: unknown[] = [];
    player.on('mediacollection:sessionstart', (_event: unknown, data: unknown) => started.push(data));
    tracker.setChapters([{ start: 0, end: 60, name: 'Opening' }]);
    play();
    await settle();
    const sid = emulator.sessions('default')[0].sid;
    expect(tracker.sessionId).toBe(sid);
    expect(started).toEqual([{ sessionId: sid }]);
    tracker.startState('theaterMode');
    media.time = 10.6;
    await advance(10000);
    tracker.adBreakStart({ name: 'mid' });
    tracker.adStart({ id: 'ad-1', length: 15.4, name: 'Spot', campaignId: 'c9' });
    await advance(15000);
    tracker.adComplete();
    tracker.adBreakComplete();
    media.time = 20;
    await advance(5000);
    tracker.endState('theaterMode');
    pause();
    tracker.end();
    await settle();

    expect(expectAccepted()).toEqual([
      'sessionStart',
      'chapterStart',
      'play',
      'statesUpdate',
      'ping',
      'adBreakStart',
      'adStart',
      'play',
      'ping',
      'adComplete',
      'adBreakComplete',
      'play',
      'ping',
      'statesUpdate',
      'pauseStart',
      'sessionEnd'
    ]);
    // Only the sessionStart goes to the Edge's own path; the rest to its location hint.
    expect(sent.map((s) => s.path.replace(/\?.*/, '').replace(/va\/v1\/.*/, ''))).toEqual([
      '/ee/',
      ...Array(sent.length - 1).fill('/ee/emu1/')
    ]);
    expect(sent.every((s) => s.path.endsWith('?configId=ds-1') && s.type === 'text/plain')).toBe(true);
    expect(sent[0].xdm).toEqual({
      eventType: 'media.sessionStart',
      timestamp: new Date(T0).toISOString(),
      mediaCollection: {
        playhead: 0,
        sessionDetails: {
          name: 'https://cdn.example.com/ep1.mp4',
          length: 60,
          contentType: 'vod',
          streamType: 'video',
          playerName: 'video.js',
          appVersion: `videojs-media-collection-${__VERSION__}`,
          channel: 'web'
        }
      }
    });
    const adStart = sent.find((s) => s.xdm.eventType === 'media.adStart')!.xdm.mediaCollection;
    expect(adStart).toEqual({
      playhead: 11,
      sessionID: sid,
      advertisingDetails: { name: 'ad-1', length: 15, podPosition: 1, playerName: 'video.js', friendlyName: 'Spot', campaignID: 'c9' }
    });
    const states = sent.filter((s) => s.xdm.eventType === 'media.statesUpdate').map((s) => s.xdm.mediaCollection);
    expect(states).toEqual([
      { playhead: 0, sessionID: sid, statesStart: [{ name: 'theaterMode' }] },
      { playhead: 20, sessionID: sid, statesEnd: [{ name: 'theaterMode' }] }
    ]);
  });

  it('sends the ECID the page has as the identityMap, and what is left at page close as beacons', async () => {
    document.cookie = `AMCV_${encodeURIComponent('ABC@AdobeOrg')}=${encodeURIComponent('MCMID|ecid-77|MCAAMLH-1|6')}`;
    const beacon = vi.fn((url: string, body: string) => {
      const path = url.slice('https://edge.example'.length);
      sent.push({ path, type: 'beacon', xdm: JSON.parse(body).events[0].xdm });
      emulator.receive({ path, body, contentType: 'text/plain;charset=UTF-8' });
      return true;
    });
    vi.stubGlobal('navigator', { ...navigator, sendBeacon: beacon });
    try {
      const { play } = createPlayer({ ...EDGE_OPTIONS, params: { 'media.channel': 'web', 'visitor.marketingCloudOrgId': 'ABC@AdobeOrg' } });
      expect(document.cookie).toContain('AMCV_');
      play();
      await settle();
      window.dispatchEvent(new Event('pagehide'));
      await settle();
    } finally {
      document.cookie = `AMCV_${encodeURIComponent('ABC@AdobeOrg')}=; expires=Thu, 01 Jan 1970 00:00:00 GMT`;
    }
    expect(sent[0].xdm.identityMap).toEqual({ ECID: [{ id: 'ecid-77', authenticatedState: 'ambiguous' }] });
    expect(expectAccepted()).toEqual(['sessionStart', 'play', 'sessionEnd']);
    expect(sent.map((s) => `${s.xdm.eventType}:${s.type}`)).toEqual([
      'media.sessionStart:text/plain',
      'media.play:text/plain',
      'media.sessionEnd:beacon'
    ]);
  });

  it('finishes at page close what a first pagehide listener cut short left (Firefox), and sends nothing twice', async () => {
    let cut = true;
    const beacon = vi.fn((url: string, body: string) => {
      // Firefox stops the first script of a closing tab part way: here, in the beacon.
      if (cut) {
        cut = false;
        throw new Error('cut short');
      }
      emulator.receive({ path: url.slice('https://edge.example'.length), body, contentType: 'text/plain;charset=UTF-8' });
      return true;
    });
    vi.stubGlobal('navigator', { ...navigator, sendBeacon: beacon });
    const { play, pause } = createPlayer(EDGE_OPTIONS);
    play();
    await settle();
    pause();
    window.dispatchEvent(new Event('pagehide'));
    await settle();
    expect(takeLogs('error')).toEqual([expect.stringContaining('internal error, tracking goes on: Error: cut short')]);
    expect(beacon).toHaveBeenCalledTimes(2);
    expect(expectAccepted()).toEqual(['sessionStart', 'play', 'pauseStart', 'sessionEnd']);
  });
});
