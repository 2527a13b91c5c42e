import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { createDelivery, LIMITS, type Delivery, type Target } from '../../src/delivery';
import type { EventType, TrackedEvent } from '../../src/events';
import { mediaCollection, parseSessionId } from '../../src/transport/media-collection';
import { ENDPOINT, FakeApi, T0, advance, created, deferred, settle, status } from './helpers';

let api: FakeApi;
let delivery: Delivery;
let hooks: {
  sessionStarted: Mock<(target: Target) => void>;
  gone: Mock<(target: Target) => void>;
  problem: Mock<(code: string, message: string) => void>;
  trace: Mock<(message: string) => void>;
  prepare: (event: TrackedEvent, done: () => void) => void;
};
let ts = T0;

const start = (): TrackedEvent => ({
  type: 'sessionStart',
  playhead: 0,
  ts: ts++,
  media: {
    customMetadata: {},
    params: {
      'analytics.trackingServer': 't',
      'analytics.reportSuite': 'r',
      'visitor.marketingCloudOrgId': 'o',
      'media.id': 'id',
      'media.length': 10,
      'media.contentType': 'vod',
      'media.playerName': 'p',
      'media.channel': 'c'
    }
  }
});
const event = (type: EventType, playhead = 0): TrackedEvent => ({ type, playhead, ts: ts++ });

/** A session with its sessionStart queued, and events behind it. */
function session(...events: TrackedEvent[]): Target {
  const target: Target = { sid: null };
  delivery.push(target, start());
  for (const e of events) delivery.push(target, e);
  return target;
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  ts = T0;
  api = new FakeApi();
  hooks = { sessionStarted: vi.fn(), gone: vi.fn(), problem: vi.fn(), trace: vi.fn(), prepare: (_, done) => done() };
  delivery = createDelivery(mediaCollection(ENDPOINT), hooks);
  // No jitter: each wait is the longest the backoff allows.
  vi.spyOn(Math, 'random').mockReturnValue(1);
});

describe('parseSessionId', () => {
  it.each([
    ['/api/v1/sessions/0123abcd', '0123abcd'],
    ['https://example.hb-api.omtrdc.net/api/v1/sessions/0123abcd', '0123abcd'],
    ['/api/v1/sessions/0123abcd/', '0123abcd'],
    ['/api/v1/sessions/0123abcd?x=1', '0123abcd'],
    ['/collect/api/v1/sessions/0123abcd', '0123abcd'],
    ['/api/v2/sessions/z9', 'z9'],
    ['/api/v1/sessions/', null],
    ['/api/v1/sessions/abc/events', null],
    ['/sessions/abc', null],
    ['', null],
    [null, null]
  ])('reads %j as %j', (location, sid) => {
    expect(parseSessionId(location)).toBe(sid);
  });
});

describe('order', () => {
  it('holds events until the 201, then sends them in order, one request at a time', async () => {
    const slow = deferred<Response>();
    api.answer(slow.promise);
    const target = session(event('play'), event('ping'));
    await settle();
    expect(api.sequence).toEqual(['sessionStart@0']);
    slow.resolve(created('abc'));
    await settle();
    expect(api.sequence).toEqual(['sessionStart@0', 'play@0→abc', 'ping@0→abc']);
    expect(target.sid).toBe('abc');
    expect(hooks.sessionStarted).toHaveBeenCalledWith(target);
  });

  it('keeps one request in flight', async () => {
    const first = deferred<Response>();
    session(event('play'), event('ping'));
    await settle();
    api.answer(first.promise);
    delivery.push({ sid: 'x' }, event('pauseStart'));
    await settle();
    expect(api.requests).toHaveLength(4);
    const inFlight = api.requests.length;
    delivery.push({ sid: 'x' }, event('play'));
    await settle();
    expect(api.requests).toHaveLength(inFlight);
    first.resolve(status(204));
    await settle();
    expect(api.sequence.slice(-2)).toEqual(['pauseStart@0→x', 'play@0→x']);
  });

  it('holds an event that is not ready, and what is behind it, until it is released', async () => {
    const target: Target = { sid: null };
    const e = start();
    delivery.pushWaiting(target, e);
    delivery.push(target, event('play'));
    await advance(5000);
    expect(api.requests).toHaveLength(0);
    delivery.ready(e);
    await settle();
    expect(api.sequence).toEqual(['sessionStart@0', 'play@0→s1']);
  });
});

describe('retries', () => {
  it('retries 5xx and network errors with exponential backoff, keeping the order', async () => {
    session(event('play'), event('ping'));
    await settle();
    api.answer(status(503), 'network', status(500));
    delivery.push({ sid: 's1' }, event('pauseStart', 3));
    delivery.push({ sid: 's1' }, event('play', 3));
    await settle();
    const before = api.requests.length;
    await advance(999);
    expect(api.requests).toHaveLength(before);
    await advance(1);
    expect(api.requests).toHaveLength(before + 1);
    await advance(1999);
    expect(api.requests).toHaveLength(before + 1);
    await advance(1);
    expect(api.requests).toHaveLength(before + 2);
    await advance(4000);
    expect(api.sequence.slice(before - 1)).toEqual([
      'pauseStart@3→s1',
      'pauseStart@3→s1',
      'pauseStart@3→s1',
      'pauseStart@3→s1',
      'play@3→s1'
    ]);
    expect(hooks.problem).not.toHaveBeenCalled();
  });

  it('caps the backoff at 30 s and honours Retry-After', async () => {
    session();
    await settle();
    api.answer(status(429, '', { 'Retry-After': '7' }));
    delivery.push({ sid: 's1' }, event('play'));
    await settle();
    const n = api.requests.length;
    await advance(6999);
    expect(api.requests).toHaveLength(n);
    await advance(1);
    expect(api.requests).toHaveLength(n + 1);
  });

  it('waits at least half the backoff with full jitter', async () => {
    vi.mocked(Math.random).mockReturnValue(0);
    session();
    await settle();
    api.answer(status(502));
    delivery.push({ sid: 's1' }, event('play'));
    await settle();
    const n = api.requests.length;
    await advance(499);
    expect(api.requests).toHaveLength(n);
    await advance(1);
    expect(api.requests).toHaveLength(n + 1);
  });

  it('treats a request that does not answer within the timeout as a network error', async () => {
    const timeouts: number[] = [];
    vi.spyOn(AbortSignal, 'timeout').mockImplementation((ms: number) => {
      timeouts.push(ms);
      const controller = new AbortController();
      setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), ms);
      return controller.signal;
    });
    session();
    await settle();
    api.answer(
      (sent) =>
        new Promise((_resolve, reject) =>
          sent.init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
        )
    );
    delivery.push({ sid: 's1' }, event('play'));
    await settle();
    const n = api.requests.length;
    await advance(LIMITS.timeout + 1000);
    expect(api.requests).toHaveLength(n + 1);
    expect(timeouts.every((ms) => ms === LIMITS.timeout)).toBe(true);
  });

  it('drops an event once it is 10 minutes old, reports it, and goes on with the next', async () => {
    session();
    await settle();
    for (let i = 0; i < 40; i++) api.answer(status(503));
    delivery.push({ sid: 's1' }, event('play', 1));
    delivery.push({ sid: 's1' }, event('ping', 2));
    await advance(LIMITS.age);
    expect(hooks.problem).toHaveBeenCalledWith('dropped', expect.stringMatching(/^dropped play \(ts \d+\): \d+ attempts failed$/));
    await advance(120000);
    expect(api.sequence.at(-1)).toBe('ping@2→s1');
  });

  it('retries a failing sessionStart and holds its events meanwhile', async () => {
    api.answer(status(500), 'network');
    session(event('play'));
    await advance(3000);
    expect(api.sequence).toEqual(['sessionStart@0', 'sessionStart@0', 'sessionStart@0', 'play@0→s1']);
  });
});

describe('rejections', () => {
  it('drops an event answered 400, reports the server message, and sends the next', async () => {
    session();
    await settle();
    api.answer(status(400, JSON.stringify({ message: 'params not allowed on ping' })));
    delivery.push({ sid: 's1' }, event('ping'));
    delivery.push({ sid: 's1' }, event('play'));
    await settle();
    expect(hooks.problem).toHaveBeenCalledWith('rejected', expect.stringContaining('HTTP 400: params not allowed on ping'));
    expect(api.sequence.slice(-2)).toEqual(['ping@0→s1', 'play@0→s1']);
  });

  it('gives a session up when its sessionStart is rejected, dropping its queued events', async () => {
    api.answer(status(400, 'bad params'));
    const target = session(event('play'), event('ping'));
    await settle();
    expect(target.dead).toBe(true);
    expect(api.sequence).toEqual(['sessionStart@0']);
    expect(hooks.problem).toHaveBeenCalledWith('rejected', 'no session started: HTTP 400: bad params; 2 queued events dropped');
    delivery.push(target, event('play'));
    await settle();
    expect(api.requests).toHaveLength(1);
  });

  it('counts a 201 without a readable Location as a failed start', async () => {
    api.answer(status(201));
    const target = session();
    await settle();
    expect(target.dead).toBe(true);
    expect(hooks.problem).toHaveBeenCalledWith('rejected', expect.stringContaining('no readable Location (CORS must expose it)'));
  });

  it('reports a session the server lost (404, 410) and drops its remaining events', async () => {
    session();
    await settle();
    api.answer(status(410));
    const target: Target = { sid: 's1' };
    delivery.push(target, event('ping'));
    delivery.push(target, event('play'));
    await settle();
    expect(hooks.gone).toHaveBeenCalledWith(target);
    expect(target.dead).toBe(true);
    expect(api.sequence.at(-1)).toBe('ping@0→s1');
    expect(hooks.problem).not.toHaveBeenCalled();
  });
});

describe('bounds', () => {
  it('drops the oldest event when the queue is full, and reports it once', async () => {
    api.answer(new Promise<Response>(() => undefined));
    const target = session();
    // Not pings 1 ms apart: those are thinned while they wait (below).
    for (let i = 0; i < LIMITS.queue + 5; i++) delivery.push(target, event('play', i));
    expect(hooks.problem).toHaveBeenCalledTimes(1);
    expect(hooks.problem).toHaveBeenCalledWith('dropped', 'queue full (2000 events): the oldest dropped');
  });

  // With 1 s pings and a server that answers in 15 s, the backlog grew by 14 events per answer
  // until the queue was full and dropped its oldest events: 15 s holes in the 10 s ping cadence
  // (spec §4.1). Only a ping the API does not need goes: one between two events at most 10 s apart.
  it('drops a waiting ping whose neighbours are at most 10 s apart', async () => {
    const target = session();
    await settle();
    const slow = deferred<Response>();
    api.answer(slow.promise);
    const at = (type: EventType, s: number): TrackedEvent => ({ type, playhead: 0, ts: T0 + s * 1000 });
    delivery.push(target, at('pauseStart', 1));
    for (let s = 2; s <= 27; s++) delivery.push(target, at('ping', s));
    delivery.push(target, at('sessionEnd', 28));
    // The next session: its sessionStart follows the last one's sessionEnd, never a ping.
    const next: Target = { sid: null };
    delivery.push(next, { ...start(), ts: T0 + 29000 });
    for (let s = 30; s <= 31; s++) delivery.push(next, at('ping', s));
    slow.resolve(status(204));
    await settle();
    expect(api.sequence.slice(1)).toEqual(['pauseStart@0→s1', 'ping@0→s1', 'ping@0→s1', 'sessionEnd@0→s1', 'sessionStart@0', 'ping@0→s2']);
    expect(api.bodies.slice(1).map((body) => (body.playerTime.ts - T0) / 1000)).toEqual([1, 11, 21, 28, 29, 31]);
    expect(hooks.problem).not.toHaveBeenCalled();
  });
});

describe('size', () => {
  it('sends no request over 64 KB: a sessionStart that big gives the session up, with one error', async () => {
    const huge = start();
    huge.media!.params['media.name'] = 'x'.repeat(70000);
    const target: Target = { sid: null };
    delivery.push(target, huge);
    delivery.push(target, event('play'));
    await settle();
    expect(api.requests).toHaveLength(0);
    expect(target.dead).toBe(true);
    expect(hooks.problem).toHaveBeenCalledWith('rejected', expect.stringMatching(/^no session started: 70\d{3} bytes: too large$/));
  });
});

describe('flush', () => {
  it('sends every addressable event at once with keepalive', async () => {
    session();
    await settle();
    const stuck = deferred<Response>();
    api.answer(stuck.promise);
    delivery.push({ sid: 's1' }, event('play'));
    delivery.push({ sid: 's1' }, event('pauseStart'));
    delivery.push({ sid: 's1' }, event('sessionEnd'));
    await settle();
    delivery.flush();
    expect(api.sequence).toEqual(['sessionStart@0', 'play@0→s1', 'pauseStart@0→s1', 'sessionEnd@0→s1']);
    expect(api.requests.slice(1).every((r) => r.init.keepalive === true)).toBe(true);
  });

  it('leaves no timer behind when final, and still sends what waited for a slow 201', async () => {
    const slow = deferred<Response>();
    api.answer(slow.promise);
    session(event('play'), event('sessionEnd'));
    await settle();
    delivery.dispose();
    expect(vi.getTimerCount()).toBe(0);
    slow.resolve(created('late'));
    await settle();
    expect(api.sequence).toEqual(['sessionStart@0', 'play@0→late', 'sessionEnd@0→late']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not retry after a final flush', async () => {
    session();
    await settle();
    const failing = deferred<Response>();
    api.answer(failing.promise);
    delivery.push({ sid: 's1' }, event('play'));
    await settle();
    delivery.dispose();
    failing.resolve(status(503));
    await settle();
    expect(vi.getTimerCount()).toBe(0);
    expect(hooks.problem).toHaveBeenCalledWith('dropped', expect.stringContaining('dropped play'));
  });

  it('sends beyond the keepalive budget without keepalive', () => {
    const target: Target = { sid: 's1' };
    const big = 'x'.repeat(LIMITS.keepalive / 3);
    for (let i = 0; i < 4; i++) delivery.push(target, { ...event('error'), error: { id: big, source: 'player' } });
    delivery.flush();
    expect(api.requests.map((r) => r.init.keepalive)).toEqual([true, true, false, false]);
  });
});

describe('prepare', () => {
  const withPrepare = (prepare: (event: TrackedEvent, done: () => void) => void, consent?: 'pending') =>
    (delivery = createDelivery(mediaCollection(ENDPOINT), { ...hooks, prepare }, consent));

  it('lets the sessionStart leave only when prepare is done, with what it added, and holds what follows', async () => {
    let finish = () => {};
    withPrepare((start, done) => {
      finish = () => {
        start.media!.params['visitor.marketingCloudUserId'] = 'ecid-9';
        done();
      };
    });
    session(event('play'));
    await settle();
    expect(api.requests).toHaveLength(0);
    finish();
    await settle();
    expect(api.sequence).toEqual(['sessionStart@0', 'play@0→s1']);
    expect(api.bodies[0].params?.['visitor.marketingCloudUserId']).toBe('ecid-9');
  });

  it('sends in the same task when prepare is done at once', () => {
    const prepare = vi.fn((_: TrackedEvent, done: () => void) => done());
    withPrepare(prepare);
    session();
    expect(api.sequence).toEqual(['sessionStart@0']);
    expect(prepare).toHaveBeenCalledTimes(1);
  });

  it('prepares nothing while consent is pending, and prepares once after a retry', async () => {
    const prepare = vi.fn((_: TrackedEvent, done: () => void) => done());
    withPrepare(prepare, 'pending');
    api.answer(status(503));
    session();
    expect(prepare).not.toHaveBeenCalled();
    delivery.consent('granted');
    await settle();
    await advance(1000);
    expect(api.sequence).toEqual(['sessionStart@0', 'sessionStart@0']);
    expect(prepare).toHaveBeenCalledTimes(1);
  });

  it('drops the session whose consent is denied while it is prepared', async () => {
    let finish = () => {};
    withPrepare((_, done) => (finish = done));
    session(event('play'));
    delivery.consent('denied');
    finish();
    delivery.consent('granted');
    await settle();
    expect(api.requests).toHaveLength(0);
  });
});

describe('flush: beacons', () => {
  /** The Media Collection transport, its requests marked text/plain as the Edge's are. */
  const plain = () => {
    const json = mediaCollection(ENDPOINT);
    return { ...json, request: (e: TrackedEvent, sid: string | null) => ({ ...json.request(e, sid), type: 'text/plain' as const }) };
  };

  it('sends text/plain requests at page close as beacons, and falls back to keepalive fetch when a beacon is refused', () => {
    // The first beacon is taken, the second refused (over the quota).
    let beacons = 0;
    const beacon = vi.fn<(url: string, body: string) => boolean>(() => ++beacons < 2);
    vi.stubGlobal('navigator', { ...navigator, sendBeacon: beacon });
    delivery = createDelivery(plain(), hooks);
    const target: Target = { sid: 's1' };
    for (const type of ['play', 'pauseStart', 'sessionEnd'] as const) delivery.push(target, event(type));
    // The play is in flight; the two others go at the flush.
    delivery.flush();
    expect(beacon.mock.calls.map(([url, body]) => [url, JSON.parse(body).eventType])).toEqual([
      [`${ENDPOINT}/api/v1/sessions/s1/events`, 'pauseStart'],
      [`${ENDPOINT}/api/v1/sessions/s1/events`, 'sessionEnd']
    ]);
    expect(api.sequence).toEqual(['play@0→s1', 'sessionEnd@0→s1']);
    expect(api.requests[1].init).toMatchObject({ keepalive: true, headers: { 'Content-Type': 'text/plain' } });
  });

  it('sends a JSON request with a keepalive fetch, never as a beacon (a beacon of JSON needs a preflight it cannot make)', () => {
    const beacon = vi.fn(() => true);
    vi.stubGlobal('navigator', { ...navigator, sendBeacon: beacon });
    delivery.push({ sid: 's1' }, event('play'));
    delivery.push({ sid: 's1' }, event('sessionEnd'));
    delivery.flush();
    expect(beacon).not.toHaveBeenCalled();
    expect(api.sequence).toEqual(['play@0→s1', 'sessionEnd@0→s1']);
  });
});
