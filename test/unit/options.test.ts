import { describe, expect, it } from 'vitest';
import { checkCustomMetadata, checkOptions, checkParams, coerce, type Problems } from '../../src/options';
import { ENDPOINT, PARAMS } from './helpers';

const problems = (): Problems => ({ errors: [], warnings: [] });

describe('checkOptions', () => {
  it('accepts the minimal options and fills in the defaults', () => {
    const { config, errors, warnings } = checkOptions({ endpoint: `${ENDPOINT}/`, params: PARAMS });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(config).toEqual({
      base: ENDPOINT,
      datastreamId: undefined,
      identity: true,
      params: PARAMS,
      customMetadata: {},
      autoStart: true,
      ping: 10000,
      adPing: 10000,
      idle: 1790000,
      metadata: undefined,
      debug: false,
      consentPending: false
    });
  });

  it.each([
    ['http://localhost:8080/mc', 'http://localhost:8080/mc'],
    ['http://127.0.0.1:9000', 'http://127.0.0.1:9000'],
    ['http://[::1]:9000/', 'http://[::1]:9000'],
    ['https://first-party.example.com/collect//', 'https://first-party.example.com/collect'],
    ['https://example.hb-api.omtrdc.net/ ', 'https://example.hb-api.omtrdc.net'],
    ['https://example.hb-api.omtrdc.net/?x=1#y', 'https://example.hb-api.omtrdc.net']
  ])('accepts the endpoint %s', (endpoint, base) => {
    const { config, errors } = checkOptions({ endpoint, params: PARAMS });
    expect(errors).toEqual([]);
    expect(config.base).toBe(base);
  });

  it.each([
    [undefined, 'endpoint (or edge) is required'],
    [
      { endpoint: 'example.hb-api.omtrdc.net' },
      'endpoint must be an https: URL (http: only on loopback or with allowHttp), got "example.hb-api.omtrdc.net"'
    ],
    [{ endpoint: '/api' }, 'endpoint must be an https: URL (http: only on loopback or with allowHttp), got "/api"'],
    [
      { endpoint: 'ftp://example.com' },
      'endpoint must be an https: URL (http: only on loopback or with allowHttp), got "ftp://example.com"'
    ],
    [{ endpoint: 42 }, 'endpoint must be an https: URL (http: only on loopback or with allowHttp), got 42'],
    [
      { endpoint: 'http://example.hb-api.omtrdc.net' },
      'endpoint must be an https: URL (http: only on loopback or with allowHttp), got "http://example.hb-api.omtrdc.net"'
    ],
    [{ params: { ...PARAMS, 'media.length': 'sixty' } }, 'params["media.length"] must be a number above 0, got "sixty"'],
    [{ params: { ...PARAMS, 'analytics.enableSSL': 'yes' } }, 'params["analytics.enableSSL"] must be a boolean, got "yes"'],
    [{ params: { ...PARAMS, 'visitor.aamLocationHint': 3.5 } }, 'params["visitor.aamLocationHint"] must be an integer, got 3.5'],
    [{ params: { ...PARAMS, 'media.name': { en: 'x' } } }, 'params["media.name"] must be a string, got {"en":"x"}'],
    [
      { params: { ...PARAMS, 'visitor.customerIDs': { crm: { id: 7 } } } },
      'params["visitor.customerIDs"] must be {id, authState} objects, got {"crm":{"id":7}}'
    ],
    [{ params: 'rsid' }, 'params must be an object, got "rsid"'],
    [{ params: { ...PARAMS, 'media.length': 0 } }, 'params["media.length"] must be a number above 0, got 0'],
    [{ params: { ...PARAMS, 'media.streamType': 'movie' } }, 'params["media.streamType"] must be "audio" or "video", got "movie"'],
    [
      { params: { ...PARAMS, 'visitor.customerIDs': { crm: { id: 'u', type: 'x' } } } },
      'params["visitor.customerIDs"] must be {id, authState} objects, got {"crm":{"id":"u","type":"x"}}'
    ],
    [
      { params: { 'media.channel': 'web' } },
      'params lacks the required analytics.trackingServer, analytics.reportSuite, visitor.marketingCloudOrgId'
    ],
    [{ customMetadata: ['a'] }, 'customMetadata must be an object, got ["a"]'],
    [{ autoStart: 'no' }, 'autoStart must be a boolean, got "no"'],
    [{ debug: 1 }, 'debug must be a boolean, got 1'],
    [{ consentPending: 'yes' }, 'consentPending must be a boolean, got "yes"'],
    [{ pingInterval: 30 }, 'pingInterval must be 1 to 10 (seconds), got 30'],
    [{ pingInterval: '10' }, 'pingInterval must be 1 to 10 (seconds), got "10"'],
    [{ idleTimeout: 3600 }, 'idleTimeout must be 1 to 1790 (seconds), got 3600'],
    [{ metadata: 'fn' }, 'metadata must be a function, got "fn"']
  ])('rejects %j with one clear message', (change, message) => {
    const options = change === undefined ? undefined : { endpoint: ENDPOINT, params: PARAMS, ...change };
    const { errors } = checkOptions(options);
    expect(errors).toContain(message);
    if (change !== undefined) expect(errors).toHaveLength(1);
  });

  it('allows a plain http: endpoint elsewhere than loopback only when allowHttp is set', () => {
    const { config, errors } = checkOptions({ endpoint: 'http://collect.lan:8080', params: PARAMS, allowHttp: true });
    expect(errors).toEqual([]);
    expect(config.base).toBe('http://collect.lan:8080');
    expect(checkOptions({ endpoint: 'http://collect.lan', params: PARAMS, allowHttp: 'yes' }).errors).toEqual([
      'endpoint must be an https: URL (http: only on loopback or with allowHttp), got "http://collect.lan"',
      'allowHttp must be a boolean, got "yes"'
    ]);
  });

  it('describes a value that JSON cannot write without throwing', () => {
    const odd = Object.assign(Object.create(null), { n: 1n });
    expect(checkOptions({ endpoint: ENDPOINT, params: { ...PARAMS, 'media.name': odd } }).errors).toEqual([
      'params["media.name"] must be a string, got object'
    ]);
  });

  it('rejects options that are not an object', () => {
    expect(checkOptions('https://x').errors[0]).toBe('options must be an object, got "https://x"');
  });

  it('defers the publisher-key check to session start when a metadata function may give them', () => {
    expect(checkOptions({ endpoint: ENDPOINT, metadata: () => ({}) }).errors).toEqual([]);
  });

  it('takes pingInterval and idleTimeout in seconds', () => {
    const { config } = checkOptions({ endpoint: ENDPOINT, params: PARAMS, pingInterval: 1, idleTimeout: 60 });
    expect([config.ping, config.idle]).toEqual([1000, 60000]);
  });
});

describe('checkOptions: the Edge Network path', () => {
  const EDGE = { datastreamId: 'ds-1' };

  it("takes edge instead of endpoint, with the Edge's own host by default and only media.channel required", () => {
    const { config, errors, warnings } = checkOptions({ edge: EDGE, params: { 'media.channel': 'web' } });
    expect([errors, warnings]).toEqual([[], []]);
    expect([config.base, config.datastreamId]).toEqual(['https://edge.adobedc.net/ee', 'ds-1']);
  });

  it('takes a first-party or local edge.endpoint, checked as endpoint is', () => {
    const { config, errors } = checkOptions({
      edge: { ...EDGE, endpoint: 'http://localhost:9000/ee/' },
      params: { 'media.channel': 'web' }
    });
    expect(errors).toEqual([]);
    expect(config.base).toBe('http://localhost:9000/ee');
    expect(checkOptions({ edge: { ...EDGE, endpoint: 'http://edge.example' }, params: { 'media.channel': 'web' } }).errors).toEqual([
      'edge.endpoint must be an https: URL (http: only on loopback or with allowHttp), got "http://edge.example"'
    ]);
  });

  it.each([
    [{ endpoint: ENDPOINT, edge: EDGE }, 'give endpoint or edge, not both'],
    [{ edge: 'ds-1' }, 'edge must be { datastreamId, endpoint? }, got "ds-1"'],
    [{ edge: { datastreamId: ' ' } }, 'edge must be { datastreamId, endpoint? }, got {"datastreamId":" "}'],
    [{ edge: EDGE, params: {} }, 'params lacks the required media.channel'],
    [{ edge: EDGE, identity: 'no' }, 'identity must be a boolean, got "no"']
  ])('rejects %j with one clear message', (options, message) => {
    expect(checkOptions({ params: { 'media.channel': 'web' }, ...options }).errors).toEqual([message]);
  });

  it('warns once about the params that the Edge has no field for, but not the ECID and the org id (which finds it)', () => {
    const { errors, warnings } = checkOptions({ edge: EDGE, params: PARAMS });
    expect(errors).toEqual([]);
    expect(warnings).toEqual(['params the Edge Network has no field for, not sent: analytics.trackingServer, analytics.reportSuite']);
  });

  it('looks the identity up unless identity is false', () => {
    expect(checkOptions({ endpoint: ENDPOINT, params: PARAMS }).config.identity).toBe(true);
    expect(checkOptions({ endpoint: ENDPOINT, params: PARAMS, identity: false }).config.identity).toBe(false);
  });
});

describe('checkParams', () => {
  it('converts values to the types of the spec when nothing is lost', () => {
    const p = problems();
    expect(
      checkParams(
        {
          'media.length': '60',
          'media.season': 2,
          'analytics.enableSSL': 'false',
          'visitor.aamLocationHint': '9',
          'media.resume': true,
          'media.name': undefined
        },
        p
      )
    ).toEqual({
      'media.length': 60,
      'media.season': '2',
      'analytics.enableSSL': false,
      'visitor.aamLocationHint': 9,
      'media.resume': true
    });
    expect(p).toEqual(problems());
  });

  it('does not take keys of Object.prototype for params', () => {
    const p = problems();
    expect(checkParams({ valueOf: 0, constructor: 'x' }, p)).toEqual({});
    expect(p.warnings).toEqual([expect.stringContaining('valueOf, constructor')]);
  });

  it('drops keys the API does not know, with one warning naming them', () => {
    const p = problems();
    expect(checkParams({ 'media.channel': 'web', 'media.foo': 'x', videoTitle: 'y' }, p)).toEqual({ 'media.channel': 'web' });
    expect(p.warnings).toEqual(['params: unknown keys dropped: media.foo, videoTitle']);
    expect(p.errors).toEqual([]);
  });

  it('drops media.downloaded: online sessions must not send it true, and false is what Adobe assumes', () => {
    const p = problems();
    expect(checkParams({ 'media.downloaded': true }, p)).toEqual({});
    expect(p.warnings).toEqual([expect.stringContaining('media.downloaded')]);
  });

  it('accepts visitor.customerIDs in the shape of the spec', () => {
    const ids = { crm: { id: 'u1', authState: 1 }, email: { id: 'h' } };
    expect(checkParams({ 'visitor.customerIDs': ids }, problems())).toEqual({ 'visitor.customerIDs': ids });
  });
});

describe('coerce', () => {
  it.each([
    ['n', '', undefined],
    ['n', ' ', undefined],
    ['n', NaN, undefined],
    ['n', Infinity, undefined],
    ['n', '1e3', 1000],
    ['i', '7', 7],
    ['i', 7.1, undefined],
    ['b', 1, undefined],
    ['s', NaN, undefined],
    ['s', null, undefined],
    ['s', true, 'true']
  ])('coerce(%s, %j) is %j', (type, value, expected) => {
    expect(coerce(type, value)).toBe(expected);
  });
});

describe('checkCustomMetadata', () => {
  it('turns values into strings and drops what the API would reject, with one warning', () => {
    const p = problems();
    expect(
      checkCustomMetadata(
        {
          'acme.tier': 'gold',
          count: 3,
          live: false,
          'bad key': 'x',
          'media.show': 'y',
          'a.b': 'z',
          obj: {},
          gone: null,
          long: 'x'.repeat(1025)
        },
        p
      )
    ).toEqual({ 'acme.tier': 'gold', count: '3', live: 'false' });
    expect(p.warnings).toEqual(['customMetadata: invalid keys or values dropped: bad key, media.show, a.b, obj, long']);
  });
});
