import type { TrackedEvent } from '../events';
import type { Params } from '../options';
import { retryAfter, serverMessage, type Outcome, type Transport } from './transport';

/** One Media Collection API request body (spec §1.1). */
export interface RequestBody {
  eventType: string;
  playerTime: { playhead: number; ts: number };
  params?: Params;
  qoeData?: Record<string, string | number>;
  customMetadata?: Record<string, string>;
}

/**
 * Parses the session id from the `Location` header of a `201`, relative or absolute
 * (spec §2.4: Adobe's own pattern is `^/api/(.*)/sessions/(.*)`).
 */
export function parseSessionId(location: string | null): string | null {
  const match = /\/api\/[^/?#]+\/sessions\/([^/?#]+)\/?(?:[?#]|$)/.exec(location || '');
  return match ? match[1] : null;
}

/** Copies the fields of `from` that are set into `to` as `prefix` + name. */
function put(to: Params, prefix: string, from: object | undefined): void {
  for (const [name, value] of Object.entries(from ?? {})) if (value !== undefined) to[prefix + name] = value;
}

/** The request body of an event (spec §1.1, §3.1, §6.4 to §6.7): every detail in its param. */
export function requestBody(event: TrackedEvent): RequestBody {
  const { type, ts, playhead, media, adBreak, ad, chapter, state, qoe, error } = event;
  const body: RequestBody = { eventType: type, playerTime: { playhead, ts } };
  const params: Params = { ...media?.params };
  let customMetadata = media?.customMetadata;
  if (adBreak) {
    const { index, offset, name } = adBreak;
    put(params, 'media.ad.', { podIndex: index, podSecond: offset, podFriendlyName: name });
  }
  if (ad) {
    const { position, customMetadata: adMetadata, ...named } = ad;
    put(params, 'media.ad.', { ...named, podPosition: position });
    customMetadata = adMetadata;
  }
  if (chapter) {
    const { name, ...named } = chapter;
    put(params, 'media.chapter.', { ...named, friendlyName: name });
  }
  if (state) params['media.state.name'] = state;
  const qoeData: Record<string, string | number> = {};
  put(qoeData, 'media.qoe.', qoe);
  if (error) put(qoeData, 'media.qoe.', { errorID: error.id, errorSource: error.source });
  if (Object.keys(params).length) body.params = params;
  if (Object.keys(qoeData).length) body.qoeData = qoeData;
  if (customMetadata && Object.keys(customMetadata).length) body.customMetadata = customMetadata;
  return body;
}

/**
 * Adobe's Media Collection API (`{base}/api/v1/sessions`, spec §2, §3): `201` with the id in
 * `Location` starts a session, `2xx` accepts an event, `408`, `429` and `5xx` are retried (with
 * `Retry-After` when given), `404` and `410` mean the session is gone, anything else is refused.
 */
export function mediaCollection(base: string): Transport {
  return {
    request: (event, sid) => ({
      url: `${base}/api/v1/sessions${event.type === 'sessionStart' ? '' : `/${sid}/events`}`,
      body: JSON.stringify(requestBody(event)),
      type: 'application/json'
    }),

    async outcome(event, response): Promise<Outcome> {
      const { status } = response;
      const start = event.type === 'sessionStart';
      if (start && status === 201) {
        const sid = parseSessionId(response.headers.get('Location'));
        return sid ? { kind: 'started', sid } : { kind: 'rejected', reason: 'the 201 had no readable Location (CORS must expose it)' };
      }
      if (!start && status >= 200 && status < 300) return { kind: 'accepted' };
      if (status === 408 || status === 429 || status >= 500) return { kind: 'retry', after: retryAfter(response) };
      if (!start && (status === 404 || status === 410)) return { kind: 'gone' };
      return { kind: 'rejected', reason: `HTTP ${status}${await serverMessage(response)}` };
    }
  };
}
