import type { Params } from './options';

/** One Media Collection API request body (spec §1.1). */
export interface ApiEvent {
  eventType: string;
  playerTime: { playhead: number; ts: number };
  params?: Params;
  qoeData?: Record<string, string | number>;
  customMetadata?: Record<string, string>;
}

/** An Adobe session as delivery sees it: its id once the `201` gave one. */
export interface Target {
  sid: string | null;
  /** Its `sessionStart` failed for good, or the server closed it (404/410). */
  dead?: boolean;
}

/** How delivery tells the tracker what happened. */
export interface DeliveryHooks {
  /** A `201` gave `target` its id. */
  started(target: Target): void;
  /** The server answered 404 or 410 for an event: the session is gone. */
  gone(target: Target): void;
  /** Something was rejected or dropped; `message` says what and why. */
  problem(code: string, message: string): void;
  /** Debug trace of every request and response. */
  trace(message: string): void;
}

interface Job {
  t: Target;
  e: ApiEvent;
  ready: boolean;
  tries: number;
}

type Outcome = [kind: 'ok' | 'retry' | 'reject' | 'gone', detail?: string | number];

/** Delivery's bounds, documented in the README. */
export const LIMITS = {
  /** Events queued at most; past it the oldest event (never a `sessionStart`) is dropped. */
  queue: 2000,
  /** A failing request is retried until its event is this old (ms): Adobe closes a session after 10 minutes without events (spec §4.2). */
  age: 600000,
  /** A request that has not answered after this long (ms) counts as a network error. */
  timeout: 20000,
  /** The longest wait between two attempts (ms), unless `Retry-After` asks for more. */
  backoff: 30000,
  /** Bytes of request bodies in flight with `keepalive` at once (browsers allow 64 KiB). */
  keepalive: 48000,
  /** Bytes of one request at most: Adobe's edge refuses more (spec §9), so a larger one is not sent. */
  body: 64000
};

const isStart = (job: Job) => job.e.eventType === 'sessionStart';

/**
 * Parses the session id from the `Location` header of a `201`, relative or absolute
 * (spec §2.4: Adobe's own pattern is `^/api/(.*)/sessions/(.*)`).
 */
export function parseSessionId(location: string | null): string | null {
  const match = /\/api\/[^/?#]+\/sessions\/([^/?#]+)\/?(?:[?#]|$)/.exec(location || '');
  return match ? match[1] : null;
}

/**
 * Sends events to the API: first in first out, one request in flight, events held behind a
 * `sessionStart` until its `201`, retries with exponential backoff and jitter, and a last
 * unload-safe burst at page close or disposal.
 */
export class Delivery {
  #q: Job[] = [];
  #busy = false;
  #timer = 0;
  #final = false;
  #kept = 0;
  #overflowed = false;
  #base: string;
  #hooks: DeliveryHooks;

  constructor(base: string, hooks: DeliveryHooks) {
    this.#base = base;
    this.#hooks = hooks;
  }

  /** Queues an event. With `ready` false it (and everything behind it) waits for `release`. */
  push(t: Target, e: ApiEvent, ready = true): void {
    if (t.dead) return;
    if (this.#q.length >= LIMITS.queue) {
      const i = this.#q.findIndex((job, index) => (index || !this.#busy) && !isStart(job));
      this.#q.splice(i, 1);
      if (!this.#overflowed) {
        this.#hooks.problem(
          'dropped',
          `queue full (${LIMITS.queue} events): dropping the oldest`
        );
      }
      this.#overflowed = true;
    }
    this.#q.push({ t, e, ready, tries: 0 });
    this.#pump();
  }

  /** Lets a held event go. */
  release(e: ApiEvent): void {
    for (const job of this.#q) if (job.e === e) job.ready = true;
    this.#pump();
  }

  /** Forgets the queued events of a session that will never be started. */
  discard(t: Target): void {
    this.#q = this.#q.filter((job, index) => job.t !== t || (!index && this.#busy));
  }

  /**
   * Sends at once, in parallel and with `keepalive`, every queued event whose session id is
   * known, so that they survive the page closing. With `final` (disposal) nothing is retried
   * afterwards and no timer is left: what still waits for a `201` goes out when it comes.
   */
  flush(final: boolean): void {
    this.#final = this.#final || final;
    clearTimeout(this.#timer);
    this.#timer = 0;
    this.#q = this.#q.filter((job, index) => {
      if ((!index && this.#busy) || !job.t.sid || isStart(job)) return true;
      this.#send(job).catch(() => undefined);
      return false;
    });
    this.#pump();
  }

  #pump(): void {
    if (this.#busy || this.#timer) return;
    if (this.#final && this.#q.some((job) => job.t.sid)) return this.flush(true);
    const job = this.#q[0];
    if (!job || !job.ready) return;
    const size = new TextEncoder().encode(JSON.stringify(job.e)).length;
    if (size > LIMITS.body) {
      this.#settle(job, 'reject', `${size} bytes, more than the API takes`);
      return this.#pump();
    }
    this.#busy = true;
    job.tries++;
    // A native timeout, not a timer of ours: it counts active time only, so a page that was
    // frozen or asleep does not abort (and then send twice) a request that is fine.
    this.#send(job, AbortSignal.timeout?.(LIMITS.timeout))
      .then((response) => this.#classify(job, response), (): Outcome => ['retry', 'network error'])
      .then(([kind, detail]) => {
        this.#busy = false;
        this.#settle(job, kind, detail);
        this.#pump();
      });
  }

  #send(job: Job, signal?: AbortSignal): Promise<Response> {
    const start = isStart(job);
    const body = JSON.stringify(job.e);
    const keepalive = this.#kept + body.length <= LIMITS.keepalive;
    if (keepalive) this.#kept += body.length;
    let request: Promise<Response>;
    try {
      // Called right away, not in a later task: at page close only what starts now goes out.
      request = fetch(`${this.#base}/api/v1/sessions${start ? '' : `/${job.t.sid}/events`}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
        keepalive,
        credentials: 'omit',
        signal
      });
    } catch (error) {
      request = Promise.reject(error);
    }
    return request.finally(() => {
      if (keepalive) this.#kept -= body.length;
    });
  }

  async #classify(job: Job, response: Response): Promise<Outcome> {
    const status = response.status;
    // The debug log shows every request, but never the visitor's ids.
    const shown = JSON.stringify(job.e, (key, value) => (/^visitor\.|^analytics\.(visitorId|aid)$|^appInstallationId$/.test(key) ? '…' : value));
    this.#hooks.trace(`${shown} → HTTP ${status}`);
    if (isStart(job) ? status === 201 : status >= 200 && status < 300) {
      if (!isStart(job)) return ['ok'];
      const sid = parseSessionId(response.headers.get('Location'));
      return sid
        ? ['ok', sid]
        : ['reject', 'the 201 had no readable Location (CORS must expose it)'];
    }
    if (status === 408 || status === 429 || status >= 500) {
      // Retry-After in seconds (the form APIs use; a date counts as none).
      return ['retry', Number(response.headers.get('Retry-After')) * 1000 || 0];
    }
    if (!isStart(job) && (status === 404 || status === 410)) return ['gone'];
    let message = '';
    try {
      message = await response.text();
      message = JSON.parse(message).message ?? message;
    } catch {
      // a plain-text body (or none) is the message as it is
    }
    return ['reject', `HTTP ${status}${message ? `: ${String(message).slice(0, 300)}` : ''}`];
  }

  #settle(job: Job, kind: Outcome[0], detail: Outcome[1]): void {
    const { t, e } = job;
    if (kind === 'retry') {
      const wait =
        (detail as number) > 0
          ? (detail as number)
          : Math.min(LIMITS.backoff, 1000 * 2 ** (job.tries - 1)) * (0.5 + Math.random() / 2);
      if (!this.#final && Date.now() + wait - e.playerTime.ts < LIMITS.age) {
        this.#timer = setTimeout(() => {
          this.#timer = 0;
          this.#pump();
        }, wait) as unknown as number;
        return;
      }
      detail = `${job.tries} attempts failed`;
    }
    this.#q.splice(this.#q.indexOf(job), 1);
    if (kind === 'ok') {
      if (isStart(job)) {
        t.sid = detail as string;
        this.#hooks.started(t);
      }
      return;
    }
    const dead = isStart(job) || kind === 'gone';
    if (dead) {
      t.dead = true;
      const before = this.#q.length;
      this.discard(t);
      if (kind === 'gone') return this.#hooks.gone(t);
      detail += before > this.#q.length ? `; ${before - this.#q.length} queued events dropped` : '';
    }
    this.#hooks.problem(
      kind === 'reject' ? 'rejected' : 'dropped',
      `${dead ? 'no session started' : `dropped ${e.eventType} (ts ${e.playerTime.ts})`}: ${detail}`
    );
  }
}
