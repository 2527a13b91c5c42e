import { describe, expect, it } from 'vitest';
import { RESUME_WAIT, SEEK_SETTLE } from '../../src/playback';
import { OPTIONS, PARAMS, T0, advance, createPlayer, expectAllValid, settle, useFakeWorld } from './helpers';
import { takeLogs } from './setup';

const world = useFakeWorld();

/** A player with a stand-in for contrib-ads' `player.ads`, driven by the test as an integration would. */
function withContribAds(options: Record<string, unknown> = OPTIONS) {
  const setup = createPlayer(options);
  const ads = Object.assign(() => undefined, {
    inBreak: false,
    adType: null as string | null,
    ad: null as { id?: string; duration?: number } | null,
    inAdBreak: () => ads.inBreak
  });
  Object.assign(setup.player, { ads });
  const trigger = (type: string) => setup.player.trigger(type);
  return {
    ...setup,
    ads,
    /** startLinearAdMode(): contrib-ads triggers adstart; the integration pauses the content. */
    breakStart(type: string) {
      setup.media.paused = true;
      ads.inBreak = true;
      ads.adType = type;
      trigger('adstart');
    },
    adStarted(ad: { id?: string; duration?: number } | null) {
      ads.ad = ad;
      trigger('ads-ad-started');
    },
    trigger,
    /** The content plays for 12 s, then a mid-roll break begins. */
    async midrollAt12() {
      setup.play();
      setup.media.time = 12;
      await advance(12000);
      this.breakStart('midroll');
    },
    /** A mid-roll of one 5 s ad at 12 s, played to its end; contrib-ads then restores the content. */
    async playMidrollAt12() {
      await this.midrollAt12();
      this.adStarted({ id: 'mid-1', duration: 5 });
      await advance(5000);
      trigger('ads-ad-ended');
      this.breakEnd();
    },
    /** endLinearAdMode(): contrib-ads triggers adend. */
    breakEnd() {
      ads.inBreak = false;
      ads.adType = null;
      trigger('adend');
    },
    /** contrib-ads restored the content, and it plays again. */
    async contentPlays() {
      setup.media.paused = false;
      setup.fire('playing');
      await settle();
    }
  };
}

const ads = () => world.api.sequence.filter((s) => !s.startsWith('ping'));

/**
 * The requests of an ad break of one ad played to its end at content playhead `at`: the ad's
 * state (play) follows its adStart, and the content's play follows the break.
 */
const oneAdBreak = (at: number) =>
  ['adBreakStart', 'adStart', 'play', 'adComplete', 'adBreakComplete', 'play'].map((type) => `${type}@${at}→s1`);

describe('ads from videojs-contrib-ads', () => {
  it('reports a pre-roll of two ads, one skipped, before the content play', async () => {
    const p = withContribAds();
    p.media.paused = false;
    p.breakStart('preroll');
    p.fire('play');
    p.adStarted({ id: 'pre-1', duration: 15 });
    await advance(15000);
    p.trigger('ads-ad-ended');
    await advance(40);
    p.adStarted({ id: 'pre-2', duration: 20 });
    await advance(5000);
    p.trigger('ads-ad-skipped');
    p.breakEnd();
    await advance(50);
    await p.contentPlays();
    expect(ads()).toEqual([
      'sessionStart@0',
      'adBreakStart@0→s1',
      'adStart@0→s1',
      'play@0→s1',
      'adComplete@0→s1',
      'adStart@0→s1',
      'play@0→s1',
      'adSkip@0→s1',
      'adBreakComplete@0→s1',
      'play@0→s1'
    ]);
    const bodies = world.api.bodies.filter((b) => b.eventType.startsWith('ad'));
    expect(bodies.map((b) => [b.eventType, b.params ?? null])).toEqual([
      ['adBreakStart', { 'media.ad.podIndex': 1, 'media.ad.podSecond': 0, 'media.ad.podFriendlyName': 'preroll' }],
      ['adStart', { 'media.ad.id': 'pre-1', 'media.ad.length': 15, 'media.ad.podPosition': 1, 'media.ad.playerName': 'video.js' }],
      ['adComplete', null],
      ['adStart', { 'media.ad.id': 'pre-2', 'media.ad.length': 20, 'media.ad.podPosition': 2, 'media.ad.playerName': 'video.js' }],
      ['adSkip', null],
      ['adBreakComplete', null]
    ]);
    // adComplete goes out just before the next adStart, so the gap is not counted as content.
    expect(bodies[2].playerTime.ts).toBe(T0 + 15040);
    expectAllValid(world.api);
  });

  it('freezes the content playhead during a mid-roll and sends play after it', async () => {
    const p = withContribAds({ ...OPTIONS, params: { ...PARAMS, 'media.playerName': 'acme' } });
    await p.midrollAt12();
    p.adStarted(null);
    p.media.time = 3; // the ad plays in the content element
    await advance(10000);
    p.trigger('ads-ad-ended');
    p.breakEnd();
    p.media.time = 12;
    await p.contentPlays();
    expect(ads()).toEqual(['sessionStart@0', 'play@0→s1', ...oneAdBreak(12)]);
    expect(world.api.sequence).toContain('ping@12→s1');
    const adStart = world.api.bodies.find((b) => b.eventType === 'adStart')!;
    expect(adStart.params).toEqual({
      'media.ad.id': '1.1',
      'media.ad.length': 0,
      'media.ad.podPosition': 1,
      'media.ad.playerName': 'acme'
    });
    expectAllValid(world.api);
  });

  it("takes the content's duration, not the pre-roll's, when the viewer plays before the metadata", async () => {
    const p = withContribAds();
    p.media.duration = NaN;
    p.breakStart('preroll');
    // contrib-ads leaves the first loadedmetadata of a player unprefixed, even when it is the ad's.
    p.media.duration = 2;
    p.player.trigger('loadedmetadata');
    p.adStarted({ id: 'pre-1', duration: 2 });
    await advance(2000);
    expect(world.api.sequence).toEqual([]);
    p.trigger('ads-ad-ended');
    p.breakEnd();
    p.media.duration = 60;
    p.player.trigger('contentloadedmetadata');
    await p.contentPlays();
    expect(ads()).toEqual(['sessionStart@0', ...oneAdBreak(0)]);
    expect(world.api.bodies[0].params!['media.length']).toBe(60);
    expectAllValid(world.api);
  });

  it('waits for the content after a break whose last ad still played when it was skipped', async () => {
    const p = withContribAds();
    await p.midrollAt12();
    p.adStarted({ id: 'mid-1', duration: 20 });
    p.media.time = 1; // the ad plays in the content element, and still plays at adend
    p.media.paused = false;
    await advance(1000);
    p.trigger('ads-ad-skipped');
    p.breakEnd();
    await settle();
    expect(ads().slice(-2)).toEqual(['adSkip@12→s1', 'adBreakComplete@12→s1']);
    p.media.time = 12;
    p.fire('playing');
    await settle();
    expect(ads().slice(-1)).toEqual(['play@12→s1']);
    expectAllValid(world.api);
  });

  it('reports a pause during the break after it, and ends the session when the content never plays', async () => {
    const p = withContribAds({ ...OPTIONS, idleTimeout: 60 });
    await p.midrollAt12();
    p.adStarted({ id: 'mid-1', duration: 20 });
    p.media.time = 4; // the ad plays in the content element
    await advance(4000);
    // The viewer pauses the ad; contrib-ads renames the element's pause.
    p.media.paused = true;
    p.trigger('adpause');
    await advance(3000);
    // The integration ends the break anyway (a skip button on a paused ad).
    p.trigger('ads-ad-skipped');
    p.breakEnd();
    await advance(60000);
    expect(ads()).toEqual([
      'sessionStart@0',
      'play@0→s1',
      'adBreakStart@12→s1',
      'adStart@12→s1',
      'play@12→s1',
      'pauseStart@12→s1',
      'adSkip@12→s1',
      'adBreakComplete@12→s1',
      'pauseStart@12→s1',
      'sessionEnd@12→s1'
    ]);
    // The idle rule counts from the last movement of the content playhead, before the break
    // (the ping at 10 s; the 1 ms: a ping went out in the same millisecond).
    const end = world.api.bodies.find((b) => b.eventType === 'sessionEnd')!;
    expect(end.playerTime.ts - T0).toBe(10000 + 60000 + 1);
    expectAllValid(world.api);
  });

  it('reports a stall and a resume during an ad, with the content playhead frozen', async () => {
    const p = withContribAds();
    await p.midrollAt12();
    p.adStarted({ id: 'mid-1', duration: 20 });
    p.media.time = 2;
    p.trigger('adwaiting');
    await advance(2000);
    p.trigger('adplaying');
    p.media.paused = true;
    p.trigger('adpause');
    p.media.paused = false;
    p.trigger('adplay');
    p.trigger('adplaying');
    // The ad's own end: its pause comes with ended, which is no viewer's pause.
    p.media.ended = true;
    p.media.paused = true;
    p.trigger('adpause');
    p.trigger('ads-ad-ended');
    p.media.ended = false;
    p.breakEnd();
    p.media.time = 12;
    await p.contentPlays();
    expect(ads().slice(2)).toEqual([
      'adBreakStart@12→s1',
      'adStart@12→s1',
      'play@12→s1',
      'bufferStart@12→s1',
      'play@12→s1',
      'pauseStart@12→s1',
      'play@12→s1',
      'adComplete@12→s1',
      'adBreakComplete@12→s1',
      'play@12→s1'
    ]);
    expectAllValid(world.api);
  });

  it.each([
    ['buffering', false, 'bufferStart'],
    ['paused', true, 'pauseStart']
  ])('reports the content as %s when it does not play again soon after the break', async (_, paused, reported) => {
    const p = withContribAds();
    await p.playMidrollAt12();
    // The content is restored but does not play: it loads, or the browser refused to play it.
    p.media.paused = paused;
    await advance(RESUME_WAIT - 1);
    expect(ads().at(-1)).toBe('adBreakComplete@12→s1');
    await advance(1);
    expect(ads().at(-1)).toBe(`${reported}@12→s1`);
    p.media.paused = false;
    await p.contentPlays();
    expect(ads().at(-1)).toBe('play@12→s1');
    expectAllValid(world.api);
  });

  it.each([
    ['before the content plays again (Chromium)', ['seeking', 'seeked', 'playing'], ['play@12→s1']],
    // The content's play, then the play that ends the restore: nothing stopped in between.
    [
      'after the content played again (Firefox, WebKit, a busy machine)',
      ['playing', 'seeking', 'waiting', 'seeked', 'playing'],
      ['play@12→s1', 'play@12→s1']
    ]
  ])("reports contrib-ads' seek back to the break's position %s as part of the restore", async (_, events, plays) => {
    const p = withContribAds();
    await p.playMidrollAt12();
    p.media.paused = false;
    p.fire(...events);
    await advance(SEEK_SETTLE);
    expect(ads().slice(2)).toEqual([
      'adBreakStart@12→s1',
      'adStart@12→s1',
      'play@12→s1',
      'adComplete@12→s1',
      'adBreakComplete@12→s1',
      ...plays
    ]);
    // A seek of the viewer's afterwards is one again (its start extrapolated from the last event).
    p.media.time = 30;
    p.fire('seeking', 'seeked');
    await advance(SEEK_SETTLE);
    expect(ads().slice(-2)).toEqual([expect.stringMatching(/^pauseStart@12\.\d+→s1$/), 'play@30→s1']);
    expectAllValid(world.api);
  });

  it('sends adSkip, not adComplete, when an integration ends a skipped ad too', async () => {
    const p = withContribAds();
    p.play();
    p.breakStart('midroll');
    p.adStarted({ id: 'mid-1', duration: 20 });
    p.trigger('ads-ad-skipped');
    p.trigger('ads-ad-ended');
    p.breakEnd();
    await p.contentPlays();
    expect(ads().filter((s) => /^ad(Skip|Complete)/.test(s))).toEqual(['adSkip@0→s1']);
    expectAllValid(world.api);
  });

  it('reports pauses of an IMA ad from its ads manager, not from the content element IMA pauses', async () => {
    const p = withContribAds();
    const manager = new EventTarget();
    Object.assign(p.player, { ima: { controller: { getCurrentAd: () => null } } });
    await p.midrollAt12();
    p.player.trigger({ type: 'ads-manager', adsManager: manager });
    // IMA pauses the content behind its own element: contrib-ads renames that pause too.
    p.trigger('adpause');
    p.adStarted({ id: 'ima-1', duration: 30 });
    await advance(5000);
    manager.dispatchEvent(new Event('pause'));
    await advance(5000);
    manager.dispatchEvent(new Event('resume'));
    manager.dispatchEvent(new Event('complete'));
    p.breakEnd();
    await p.contentPlays();
    expect(ads().slice(2)).toEqual([
      'adBreakStart@12→s1',
      'adStart@12→s1',
      'play@12→s1',
      'pauseStart@12→s1',
      'play@12→s1',
      'adComplete@12→s1',
      'adBreakComplete@12→s1',
      'play@12→s1'
    ]);
    expectAllValid(world.api);
  });

  it('sends nothing for a break without ads', async () => {
    const p = withContribAds();
    p.play();
    p.breakStart('midroll');
    p.breakEnd();
    p.fire('playing');
    await settle();
    expect(ads()).toEqual(['sessionStart@0', 'play@0→s1']);
  });

  it('ignores ads-ad-started outside a break (IMA non-linear ads)', async () => {
    const p = withContribAds();
    p.play();
    p.adStarted({ id: 'overlay' });
    await settle();
    expect(ads()).toEqual(['sessionStart@0', 'play@0→s1']);
  });

  it('reads the ad from IMA, and its end from the ads manager', async () => {
    const p = withContribAds();
    const manager = new EventTarget();
    const ad = {
      getAdId: () => 'ima-7',
      getCreativeAdId: () => '',
      getCreativeId: () => 'cr-1',
      getDuration: () => 30,
      getTitle: () => 'Spring sale',
      getAdvertiserName: () => 'Acme',
      getMediaUrl: () => 'https://ads.example.com/a.mp4',
      getAdPodInfo: () => ({ getAdPosition: () => 1 })
    };
    Object.assign(p.player, { ima: { controller: { getCurrentAd: () => ad } } });
    p.player.trigger({ type: 'ads-manager', adsManager: manager });
    p.play();
    p.breakStart('midroll');
    p.adStarted(null);
    manager.dispatchEvent(new Event('skip'));
    p.breakEnd();
    await settle();
    expect(world.api.bodies.find((b) => b.eventType === 'adStart')!.params).toEqual({
      'media.ad.id': 'ima-7',
      'media.ad.length': 30,
      'media.ad.podPosition': 1,
      'media.ad.playerName': 'video.js',
      'media.ad.name': 'Spring sale',
      'media.ad.advertiser': 'Acme',
      'media.ad.creativeId': 'cr-1',
      'media.ad.creativeURL': 'https://ads.example.com/a.mp4'
    });
    expect(ads().slice(-2)).toEqual(['adSkip@0→s1', 'adBreakComplete@0→s1']);
    expect(p.player.mediaCollection().sessionId).toBe('s1');
    expectAllValid(world.api);
  });

  it('re-sends the open break and ad after a session restart', async () => {
    const p = withContribAds();
    p.play();
    p.breakStart('midroll');
    p.adStarted({ id: 'mid-1', duration: 30 });
    await settle();
    world.api.answer(new Response(null, { status: 410 }));
    await advance(10000);
    expect(ads().slice(-4)).toEqual(['sessionStart@0', 'adBreakStart@0→s2', 'adStart@0→s2', 'play@0→s2']);
    expectAllValid(world.api);
  });

  it('pings every second during ads with adPingInterval 1', async () => {
    const p = withContribAds({ ...OPTIONS, adPingInterval: 1 });
    p.play();
    p.breakStart('midroll');
    p.adStarted({ id: 'a' });
    await advance(3000);
    p.trigger('ads-ad-ended');
    p.breakEnd();
    await advance(10000);
    const pings = world.api.bodies.filter((b) => b.eventType === 'ping').map((b) => b.playerTime.ts - T0);
    expect(pings).toEqual([1000, 2000, 3000, 13000]);
  });

  it('counts breaks from 1 per media item', async () => {
    const p = withContribAds();
    p.play();
    for (const type of ['midroll', 'midroll']) {
      p.breakStart(type);
      p.adStarted({ id: 'x' });
      p.breakEnd();
      p.fire('playing');
    }
    await settle();
    const indexes = world.api.bodies.filter((b) => b.eventType === 'adBreakStart').map((b) => b.params!['media.ad.podIndex']);
    expect(indexes).toEqual([1, 2]);
  });

  it('moves its listeners behind contrib-ads when the ads plugin is set up after it', () => {
    const p = withContribAds();
    const order: string[] = [];
    p.player.on('playing', () => order.push('ads'));
    p.player.trigger('pluginsetup:ads');
    p.player.on('playing', () => order.push('later'));
    const sent = world.api.requests.length;
    p.play();
    expect(order).toEqual(['ads', 'later']);
    expect(world.api.requests.length).toBeGreaterThanOrEqual(sent);
  });
});

describe('the tracker ad API (other ad stacks)', () => {
  it('reports a server-side break with its details and custom metadata', async () => {
    const { play, player, media } = createPlayer();
    const tracker = player.mediaCollection();
    play();
    media.time = 30;
    await advance(30000);
    tracker.adBreakStart({ name: 'mid' });
    tracker.adStart({
      id: 'ssai-1',
      length: 15,
      advertiser: 'Acme',
      campaignId: 'c9',
      customMetadata: { 'acme.slot': 'A', 'bad key': 1 }
    });
    expect(takeLogs('warn')).toEqual([expect.stringContaining('bad key')]);
    await advance(15000);
    tracker.adComplete();
    tracker.adBreakComplete();
    await settle();
    const adStart = world.api.bodies.find((b) => b.eventType === 'adStart')!;
    expect(adStart.params).toEqual({
      'media.ad.id': 'ssai-1',
      'media.ad.length': 15,
      'media.ad.podPosition': 1,
      'media.ad.playerName': 'video.js',
      'media.ad.advertiser': 'Acme',
      'media.ad.campaignId': 'c9'
    });
    expect(adStart.customMetadata).toEqual({ 'acme.slot': 'A' });
    // The content kept playing through the break: play follows it at once.
    expect(ads().slice(-6)).toEqual(oneAdBreak(30));
    expectAllValid(world.api);
  });

  it('reports a pause and a stall of the stitched stream during a break, and the break goes on', async () => {
    const { play, pause, fire, player, media } = createPlayer();
    const tracker = player.mediaCollection();
    play();
    media.time = 30;
    await advance(30000);
    tracker.adBreakStart();
    tracker.adStart({ id: 'ssai-1', length: 15 });
    media.time = 35;
    pause();
    play();
    fire('waiting');
    fire('playing');
    media.time = 45;
    tracker.adComplete();
    tracker.adBreakComplete();
    await settle();
    expect(ads().slice(-10, -1)).toEqual([
      'adBreakStart@30→s1',
      'adStart@30→s1',
      'play@30→s1',
      'pauseStart@30→s1',
      'play@30→s1',
      'bufferStart@30→s1',
      'play@30→s1',
      'adComplete@30→s1',
      'adBreakComplete@30→s1'
    ]);
    expect(ads().at(-1)).toBe('play@45→s1');
    expectAllValid(world.api);
  });

  it('keeps a live playhead at the second of the day the break began, and podSecond with it', async () => {
    const { play, pause, player } = createPlayer(OPTIONS, { duration: Infinity });
    const tracker = player.mediaCollection();
    play();
    await advance(30000);
    tracker.adBreakStart({ offset: 1234 });
    tracker.adStart({ id: 'live-ad', length: 15 });
    await advance(15000);
    tracker.adComplete();
    tracker.adBreakComplete();
    await advance(5000);
    pause();
    await advance(20000);
    play();
    await settle();
    expect(world.api.sequence).toEqual([
      'sessionStart@0',
      'play@0→s1',
      'ping@10→s1',
      'ping@20→s1',
      'ping@30→s1',
      'adBreakStart@30→s1',
      'adStart@30→s1',
      'play@30→s1',
      'ping@30→s1',
      'adComplete@30→s1',
      'adBreakComplete@30→s1',
      'play@45→s1',
      'ping@50→s1',
      'pauseStart@50→s1',
      'ping@50→s1',
      'ping@50→s1',
      'play@70→s1'
    ]);
    expect(world.api.bodies.find((b) => b.eventType === 'adBreakStart')!.params!['media.ad.podSecond']).toBe(30);
    expectAllValid(world.api);
  });

  it("names the ad player after the session's player name, from metadata() too, even for a pre-roll", async () => {
    const p = withContribAds({ ...OPTIONS, metadata: () => ({ params: { 'media.playerName': 'acme-web' } }) });
    p.media.paused = false;
    p.media.duration = NaN;
    p.fire('play');
    p.breakStart('preroll');
    p.adStarted({ id: 'pre-1', duration: 5 });
    p.trigger('ads-ad-ended');
    p.breakEnd();
    p.media.duration = 60;
    p.trigger('contentloadedmetadata');
    await p.contentPlays();
    const adStart = world.api.bodies.find((b) => b.eventType === 'adStart')!;
    expect(adStart.params!['media.ad.playerName']).toBe('acme-web');
    expect(world.api.bodies[0].params!['media.playerName']).toBe('acme-web');
    expectAllValid(world.api);
  });

  it('rejects an adStart outside a break, or without an id, with one error each', async () => {
    const { play, player } = createPlayer();
    const tracker = player.mediaCollection();
    play();
    tracker.adStart({ id: 'x' });
    tracker.adBreakStart();
    tracker.adStart({} as never);
    await settle();
    expect(takeLogs('error')).toEqual([
      expect.stringContaining('adStart needs an ad break and an id'),
      expect.stringContaining('adStart needs an ad break and an id')
    ]);
    expect(ads()).toEqual(['sessionStart@0', 'play@0→s1']);
  });
});
