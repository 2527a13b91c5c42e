import { describe, expect, it } from 'vitest';
import { checkOptions } from '../../src/options';
import { LIVE_LENGTH, VERSION, derivedParams, sessionParams } from '../../src/params';
import type { MediaFacts } from '../../src/player/player';

const facts = (more: Partial<MediaFacts> = {}): MediaFacts => ({
  src: 'https://cdn.example.com/a.mp4',
  playerName: 'video.js',
  duration: 120.25,
  audio: false,
  mediainfo: {},
  source: {},
  ...more
});

const BASE = {
  'media.playerName': 'video.js',
  'media.libraryVersion': `videojs-media-collection-${VERSION}`,
  'analytics.enableSSL': true
};

describe('derivedParams', () => {
  it('derives a VOD from the source URL and the duration', () => {
    expect(derivedParams(facts())).toEqual({
      'media.id': 'https://cdn.example.com/a.mp4',
      'media.length': 120.25,
      'media.contentType': 'vod',
      'media.streamType': 'video',
      ...BASE
    });
  });

  it('prefers mediainfo, then the source object, for id and name', () => {
    expect(derivedParams(facts({ mediainfo: { id: 'm1', name: 'Pilot' }, source: { id: 's1', name: 'src' } }))).toMatchObject({
      'media.id': 'm1',
      'media.name': 'Pilot'
    });
    expect(derivedParams(facts({ source: { id: 7, title: 'Title' } }))).toMatchObject({ 'media.id': '7', 'media.name': 'Title' });
  });

  it('ignores empty or non-text ids and names', () => {
    const params = derivedParams(facts({ mediainfo: { id: '', name: { x: 1 } }, source: { id: NaN } }));
    expect(params['media.id']).toBe('https://cdn.example.com/a.mp4');
    expect(JSON.parse(JSON.stringify(params))).not.toHaveProperty('media.name');
  });

  it('keeps the URL id stable across sessions: no query (signed tokens) and no fragment', () => {
    const signed = facts({ src: 'https://cdn.example.com/a.mp4?token=abc&expires=1767225600#t=10' });
    expect(derivedParams(signed)['media.id']).toBe('https://cdn.example.com/a.mp4');
    expect(derivedParams(facts({ src: '?only' }))['media.id']).toBe('unknown');
  });

  it('marks infinite durations live with length 86400, and unknown ones 86400 vod', () => {
    expect(derivedParams(facts({ duration: Infinity }))).toMatchObject({ 'media.length': LIVE_LENGTH, 'media.contentType': 'live' });
    expect(derivedParams(facts({ duration: NaN }))).toMatchObject({ 'media.length': LIVE_LENGTH, 'media.contentType': 'vod' });
  });

  it('keeps media.length a positive number for tiny and huge durations', () => {
    expect(derivedParams(facts({ duration: 5e-324 }))['media.length']).toBe(5e-324);
    expect(derivedParams(facts({ duration: 1.8e305 }))['media.length']).toBe(1.8e305);
  });

  it('says audio for audio-only media', () => {
    expect(derivedParams(facts({ audio: true }))['media.streamType']).toBe('audio');
  });
});

describe('sessionParams', () => {
  const PUBLISHER = {
    'analytics.trackingServer': 't.example.com',
    'analytics.reportSuite': 'rs',
    'visitor.marketingCloudOrgId': 'O@AdobeOrg',
    'media.channel': 'web'
  };
  const config = (more: Record<string, unknown> = {}) =>
    checkOptions({ endpoint: 'https://example.com', params: PUBLISHER, ...more }).config;

  it('lays the options over what the player tells, then metadata() over both, and marks a resume', () => {
    const withFields = facts({ mediainfo: { id: 'm1', custom_fields: { tier: 'gold', region: 'eu' } } });
    const { media, errors, warnings } = sessionParams(
      withFields,
      config({ params: { ...PUBLISHER, 'media.id': 'opt' }, customMetadata: { region: 'us' } }),
      { result: { params: { 'media.name': 'From metadata' }, customMetadata: { region: 'apac' } } },
      true
    );
    expect([errors, warnings]).toEqual([[], []]);
    expect(media!.params).toMatchObject({ ...PUBLISHER, 'media.id': 'opt', 'media.name': 'From metadata', 'media.resume': true });
    expect(media!.customMetadata).toEqual({ tier: 'gold', region: 'apac' });
  });

  it('gives no media, only errors, when metadata() threw or a required key is missing', () => {
    expect(sessionParams(facts(), config(), { threw: new Error('boom') }, false)).toEqual({
      errors: ['metadata() threw: Error: boom'],
      warnings: []
    });
    const missing = sessionParams(facts(), config({ metadata: () => undefined, params: {} }), { result: undefined }, false);
    expect(missing.media).toBeUndefined();
    expect(missing.errors).toEqual([expect.stringContaining('params lacks the required')]);
  });
});
