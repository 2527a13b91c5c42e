import { describe, expect, it } from 'vitest';
import { LIVE_LENGTH, VERSION, derivedParams, sessionStartBody } from '../../src/params';
import type { MediaFacts } from '../../src/player-facts';

const facts = (more: Partial<MediaFacts> = {}): MediaFacts => ({
  src: 'https://cdn.example.com/a.mp4',
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
    expect(params).not.toHaveProperty('media.name');
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

describe('sessionStartBody', () => {
  it('lays the layers over the derived values in order and marks resumes', () => {
    const problems = { errors: [], warnings: [] };
    const body = sessionStartBody(
      facts({ mediainfo: { custom_fields: { tier: 'free', genre: 'drama' } } }),
      [
        { params: { 'media.playerName': 'mine', 'media.channel': 'web' }, customMetadata: { tier: 'gold' } },
        { params: { 'media.channel': 'app' }, customMetadata: { extra: '1' } }
      ],
      true,
      problems
    );
    expect(body.params).toMatchObject({ 'media.playerName': 'mine', 'media.channel': 'app', 'media.resume': true });
    expect(body.customMetadata).toEqual({ tier: 'gold', genre: 'drama', extra: '1' });
    expect(problems).toEqual({ errors: [], warnings: [] });
  });

  it('ignores custom fields that are not an object, without a problem', () => {
    const problems = { errors: [], warnings: [] };
    expect(sessionStartBody(facts({ mediainfo: { custom_fields: 0 } }), [], false, problems).customMetadata).toEqual({});
    expect(problems).toEqual({ errors: [], warnings: [] });
  });

  it('cleans custom fields from mediainfo with a warning', () => {
    const problems = { errors: [], warnings: [] as string[] };
    const body = sessionStartBody(facts({ mediainfo: { custom_fields: { 'bad-key': 'x', ok: 1 } } }), [], false, problems);
    expect(body.customMetadata).toEqual({ ok: '1' });
    expect(problems.warnings).toEqual([expect.stringMatching(/^mediainfo\.custom_fields: dropped .*: bad-key$/)]);
    expect(body.params).not.toHaveProperty('media.resume');
  });
});
