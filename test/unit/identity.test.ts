// The visitor's ECID found on the page: the Visitor API, then the Web SDK (alloy), then the AMCV_
// cookie, under one bound of IDENTITY_WAIT ms; at once when no identity code is on the page.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IDENTITY_WAIT, findIdentity } from '../../src/identity';
import type { Params } from '../../src/options';

const ORG = 'ABC123@AdobeOrg';
const ECID = '12345678901234567890123456789012345678';
const COOKIE_ECID = '99999999999999999999999999999999999999';

type Values = { MCMID?: unknown; MCAAMLH?: unknown };

/** A Visitor API on the page; `answer` decides when (and whether) getVisitorValues calls back. */
function stubVisitor(values: Values, customerIDs: unknown = {}, answer = (reply: () => void) => reply()) {
  const instance = {
    getVisitorValues: vi.fn((callback: (values: Values) => void) => answer(() => callback(values))),
    getCustomerIDs: vi.fn(() => customerIDs)
  };
  const Visitor = { getInstance: vi.fn(() => instance) };
  vi.stubGlobal('Visitor', Visitor);
  return { Visitor, instance };
}

/** A Web SDK instance named `alloy` on the page. */
function stubAlloy(result: Promise<unknown>) {
  const alloy = vi.fn(() => result);
  vi.stubGlobal('__alloyNS', ['alloy']);
  vi.stubGlobal('alloy', alloy);
  return alloy;
}

const cookies: string[] = [];
function setCookie(name: string, value: string) {
  document.cookie = `${name}=${value}; path=/`;
  cookies.push(name);
}

/** Starts a look-up and gives the calls of `done` so far. */
function find(orgId: string | undefined) {
  const done = vi.fn<(found: Params) => void>();
  findIdentity(orgId, done);
  return done;
}

/** Lets the promises settle without moving the clock. */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.unstubAllGlobals();
  for (const name of cookies.splice(0)) document.cookie = `${name}=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT`;
  vi.useRealTimers();
});

describe('findIdentity, each source alone', () => {
  it('takes the ECID, the location hint and the customer ids from the Visitor API', async () => {
    const { Visitor, instance } = stubVisitor({ MCMID: ECID, MCAAMLH: '9' }, { crm: { id: 'u1', authState: 1 }, email: { id: 'e1' } });
    const done = find(ORG);
    await settle();
    expect(Visitor.getInstance).toHaveBeenCalledWith(ORG);
    expect(instance.getVisitorValues).toHaveBeenCalledWith(expect.any(Function), ['MCMID', 'MCAAMLH']);
    expect(done.mock.calls).toEqual([
      [
        {
          'visitor.marketingCloudUserId': ECID,
          'visitor.aamLocationHint': 9,
          'visitor.customerIDs': { crm: { id: 'u1', authState: 1 }, email: { id: 'e1' } }
        }
      ]
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves out customer ids the params would not take, as the option checks them', async () => {
    stubVisitor({ MCMID: ECID }, { crm: { id: 'u1', authState: 7 }, bad: { id: 3 } });
    const done = find(ORG);
    await settle();
    expect(done.mock.calls).toEqual([[{ 'visitor.marketingCloudUserId': ECID }]]);
  });

  it('leaves out empty customer ids and an MCAAMLH that is not an integer', async () => {
    stubVisitor({ MCMID: ECID, MCAAMLH: '9.5' }, {});
    const done = find(ORG);
    await settle();
    expect(done.mock.calls).toEqual([[{ 'visitor.marketingCloudUserId': ECID }]]);

    stubVisitor({ MCMID: ECID, MCAAMLH: '' }, { crm: { authState: 1 } });
    const again = find(ORG);
    await settle();
    expect(again.mock.calls).toEqual([[{ 'visitor.marketingCloudUserId': ECID }]]);
  });

  it('takes the ECID and the regionID from the Web SDK', async () => {
    const alloy = stubAlloy(Promise.resolve({ identity: { ECID }, edge: { regionID: 6 } }));
    const done = find(ORG);
    await settle();
    expect(alloy).toHaveBeenCalledWith('getIdentity', { namespaces: ['ECID'] });
    expect(done.mock.calls).toEqual([[{ 'visitor.marketingCloudUserId': ECID, 'visitor.aamLocationHint': 6 }]]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reads the AMCV_ cookie of an org id with an @, at once', () => {
    setCookie(
      'AMCV_ABC123%40AdobeOrg',
      encodeURIComponent(`-1124106680|MCIDTS|19000|MCMID|${COOKIE_ECID}|MCAAMLH-1712345678|9|vVersion|5.5.0`)
    );
    expect(find(ORG).mock.calls).toEqual([[{ 'visitor.marketingCloudUserId': COOKIE_ECID, 'visitor.aamLocationHint': 9 }]]);
    // Another org's cookie is not this visitor's id for this org.
    expect(find('OTHER@AdobeOrg').mock.calls).toEqual([[{}]]);
  });

  it('reads the first AMCV_ cookie without an org id', () => {
    setCookie('other', 'MCMID%7Cnope');
    setCookie('AMCV_XYZ789%40AdobeOrg', encodeURIComponent(`MCMID|${COOKIE_ECID}`));
    expect(find(undefined).mock.calls).toEqual([[{ 'visitor.marketingCloudUserId': COOKIE_ECID }]]);
  });

  it('calls done at once with {} when nothing is on the page', () => {
    const done = find(ORG);
    expect(done.mock.calls).toEqual([[{}]]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('counts a cookie without an MCMID, or with an empty one, as none', () => {
    setCookie('AMCV_ABC123%40AdobeOrg', encodeURIComponent('MCAAMLH-1712345678|9|MCMID|'));
    expect(find(ORG).mock.calls).toEqual([[{}]]);
  });
});

describe('findIdentity, the order of the sources', () => {
  it('prefers the Visitor API to alloy and the cookie', async () => {
    stubVisitor({ MCMID: ECID });
    const alloy = stubAlloy(Promise.resolve({ identity: { ECID: 'alloy' } }));
    setCookie('AMCV_ABC123%40AdobeOrg', encodeURIComponent(`MCMID|${COOKIE_ECID}`));
    const done = find(ORG);
    await settle();
    expect(done.mock.calls).toEqual([[{ 'visitor.marketingCloudUserId': ECID }]]);
    expect(alloy).not.toHaveBeenCalled();
  });

  it('prefers alloy to the cookie, and asks alloy when the Visitor API has no ECID', async () => {
    stubVisitor({ MCMID: '' });
    stubAlloy(Promise.resolve({ identity: { ECID: 'alloy-ecid' } }));
    setCookie('AMCV_ABC123%40AdobeOrg', encodeURIComponent(`MCMID|${COOKIE_ECID}`));
    const done = find(ORG);
    await settle();
    expect(done.mock.calls).toEqual([[{ 'visitor.marketingCloudUserId': 'alloy-ecid' }]]);
  });

  it('does not call getInstance without an org id', async () => {
    const { Visitor } = stubVisitor({ MCMID: ECID });
    setCookie('AMCV_ABC123%40AdobeOrg', encodeURIComponent(`MCMID|${COOKIE_ECID}`));
    const done = find(undefined);
    // Without an org id the Visitor API is as good as absent: the cookie answers at once.
    expect(done.mock.calls).toEqual([[{ 'visitor.marketingCloudUserId': COOKIE_ECID }]]);
    await settle();
    expect(Visitor.getInstance).not.toHaveBeenCalled();
  });
});

describe('findIdentity, the bound', () => {
  beforeEach(() => {
    setCookie('AMCV_ABC123%40AdobeOrg', encodeURIComponent(`MCMID|${COOKIE_ECID}`));
  });

  it('reads the cookie after IDENTITY_WAIT when getVisitorValues never calls back, and ignores a late answer', async () => {
    let reply = () => {};
    stubVisitor({ MCMID: ECID }, {}, (later) => (reply = later));
    const done = find(ORG);
    await vi.advanceTimersByTimeAsync(IDENTITY_WAIT - 1);
    expect(done).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(done.mock.calls).toEqual([[{ 'visitor.marketingCloudUserId': COOKIE_ECID }]]);
    reply();
    await settle();
    expect(done).toHaveBeenCalledTimes(1);
  });

  it('reads the cookie after IDENTITY_WAIT when alloy never resolves', async () => {
    stubAlloy(new Promise(() => {}));
    const done = find(ORG);
    await vi.advanceTimersByTimeAsync(IDENTITY_WAIT - 1);
    expect(done).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(done.mock.calls).toEqual([[{ 'visitor.marketingCloudUserId': COOKIE_ECID }]]);
  });

  it('does not ask alloy once the bound has passed', async () => {
    let reply = () => {};
    stubVisitor({}, {}, (later) => (reply = later));
    const alloy = stubAlloy(Promise.resolve({ identity: { ECID: 'alloy-ecid' } }));
    const done = find(ORG);
    await vi.advanceTimersByTimeAsync(IDENTITY_WAIT);
    reply();
    await settle();
    expect(done.mock.calls).toEqual([[{ 'visitor.marketingCloudUserId': COOKIE_ECID }]]);
    expect(alloy).not.toHaveBeenCalled();
  });

  it('falls to the cookie when alloy rejects', async () => {
    stubAlloy(Promise.reject(new Error('no consent')));
    const done = find(ORG);
    await settle();
    expect(done.mock.calls).toEqual([[{ 'visitor.marketingCloudUserId': COOKIE_ECID }]]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('findIdentity, identity code that throws', () => {
  const boom = () => {
    throw new Error('boom');
  };

  it('counts a throwing Visitor API or alloy as none', async () => {
    vi.stubGlobal('Visitor', { getInstance: boom });
    vi.stubGlobal('__alloyNS', ['alloy']);
    vi.stubGlobal('alloy', boom);
    const done = find(ORG);
    await settle();
    expect(done.mock.calls).toEqual([[{}]]);
  });

  it('keeps the ECID when only getCustomerIDs throws', async () => {
    const { instance } = stubVisitor({ MCMID: ECID });
    instance.getCustomerIDs.mockImplementation(boom);
    const done = find(ORG);
    await settle();
    expect(done.mock.calls).toEqual([[{ 'visitor.marketingCloudUserId': ECID }]]);
  });

  it('counts a non-string ECID as none, and ignores alloy names that are not functions', async () => {
    stubVisitor({ MCMID: 42 });
    vi.stubGlobal('__alloyNS', [7, 'missing']);
    const done = find(ORG);
    await settle();
    expect(done.mock.calls).toEqual([[{}]]);
  });
});
