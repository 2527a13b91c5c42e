import type { CustomMetadata, EventType, TrackedEvent } from '../events';
import { retryAfter, type Outcome, type Transport } from './transport';

/**
 * The `media.*` params whose XDM field does not follow the rule of `xdmField` (Adobe's variable
 * pages): the content id and name swap names, and the rest are renamed outright.
 */
const RENAMED: Record<string, string> = {
  id: 'name',
  name: 'friendlyName',
  resume: 'hasResume',
  libraryVersion: 'appVersion',
  sdkVersion: 'appVersion',
  'pass.mvpd': 'mvpd',
  'pass.auth': 'authorized'
};

/**
 * The `sessionDetails` field of a Media Collection `media.*` param: its name without `media.`,
 * with a trailing `Id` written `ID` (`media.assetId` → `assetID`), except the seven of `RENAMED`.
 * `undefined` for params XDM has no field for: anything outside `media.`, and `media.` names with
 * a dot left (`media.ad.id`: ad details travel in their own XDM objects).
 */
export function xdmField(param: string): string | undefined {
  if (!param.startsWith('media.')) return undefined;
  const name = param.slice(6);
  // hasOwn, not `in`: `media.constructor` must not find Object's.
  if (Object.hasOwn(RENAMED, name)) return RENAMED[name];
  return name.includes('.') ? undefined : name.replace(/Id$/, 'ID');
}

/** The path of an event type: both state events are one `statesUpdate`. */
const pathOf = (type: EventType): string => (type === 'stateStart' || type === 'stateEnd' ? 'statesUpdate' : type);

/**
 * `details` with its numbers rounded: XDM's lengths, offsets, positions and QoE values are
 * integers, where the Media Collection API took decimals.
 */
const whole = (details: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(details).map(([key, value]) => [key, typeof value === 'number' ? Math.round(value) : value]));

/** Custom metadata as XDM's list of `{name, value}`; `undefined` (left out) when there is none. */
const metadataList = (metadata: CustomMetadata | undefined) =>
  metadata && Object.keys(metadata).length ? Object.entries(metadata).map(([name, value]) => ({ name, value })) : undefined;

/**
 * The `xdm` of one event of the session `sid` (`null` for its `sessionStart`): its details in the
 * XDM objects of the Media Edge API, every number in whole seconds or units. Undefined fields are
 * left in; JSON drops them.
 *
 * At sessionStart, params without an XDM field (`analytics.*`, `visitor.*`, …) are left out: the
 * options module has warned about the ones the publisher gave. `media.libraryVersion` and
 * `media.sdkVersion` are both `appVersion`: when both are set, the one later in the params wins.
 * The visitor's ECID (`visitor.marketingCloudUserId`) goes to `identityMap`.
 */
export function xdmOf(event: TrackedEvent, sid: string | null): Record<string, unknown> {
  const { type, ts, playhead, media, adBreak, ad, chapter, state, qoe, error } = event;
  const collection: Record<string, unknown> = { playhead: Math.round(playhead) };
  const xdm: Record<string, unknown> = {
    eventType: `media.${pathOf(type)}`,
    timestamp: new Date(ts).toISOString(),
    mediaCollection: collection
  };
  if (type !== 'sessionStart') collection.sessionID = sid;
  if (media) {
    const details: Record<string, unknown> = {};
    for (const [param, value] of Object.entries(media.params)) {
      const field = xdmField(param);
      if (field) details[field] = value;
    }
    collection.sessionDetails = whole(details);
    collection.customMetadata = metadataList(media.customMetadata);
    const ecid = media.params['visitor.marketingCloudUserId'];
    // The Media Collection API's param; Adobe's Media SDK sends it as the ECID identity.
    if (typeof ecid === 'string') xdm.identityMap = { ECID: [{ id: ecid, authenticatedState: 'ambiguous' }] };
  }
  if (adBreak) collection.advertisingPodDetails = whole({ index: adBreak.index, offset: adBreak.offset, friendlyName: adBreak.name });
  if (ad) {
    const { id, position, name, campaignId, creativeId, placementId, siteId, customMetadata, ...same } = ad;
    collection.advertisingDetails = whole({
      ...same,
      name: id,
      podPosition: position,
      friendlyName: name,
      campaignID: campaignId,
      creativeID: creativeId,
      placementID: placementId,
      siteID: siteId
    });
    collection.customMetadata = metadataList(customMetadata);
  }
  if (chapter) {
    const { index, offset, length, name } = chapter;
    collection.chapterDetails = whole({ index, offset, length, friendlyName: name });
  }
  if (state) collection[type === 'stateStart' ? 'statesStart' : 'statesEnd'] = [{ name: state }];
  if (qoe) collection.qoeDataDetails = whole(qoe);
  if (error) collection.errorDetails = { name: error.id, source: error.source };
  return xdm;
}

/** What the transport reads of an answer's JSON (the OpenAPI file's 200, 207 and problem bodies). */
interface Answer {
  handle?: Array<{ type?: string; payload?: Array<{ sessionId?: string; scope?: string; hint?: string }> }>;
  errors?: Array<{ report?: { details?: Array<{ name?: string; reason?: string }> } }>;
  detail?: string;
  title?: string;
}

/** The JSON of an answer; `{}` when it has none or another (an empty or HTML body must not throw). */
async function read(response: Response): Promise<Answer> {
  return (await response.json().catch(() => null)) ?? {};
}

/**
 * Adobe's Media Edge API (Edge Network, `{endpoint}/va/v1/{eventType}?configId={datastreamId}`,
 * `endpoint` without a trailing slash, e.g. `https://edge.adobedc.net/ee`). A sessionStart's `200`
 * names the session and its location hint (later events of the session go to
 * `{endpoint}/{hint}/va/v1/…`); its `207` is an invalid body. `408`, `429`, `502` to `504` are
 * retried, `404` and `410` mean the session is gone, anything else is refused.
 */
export function mediaEdge(endpoint: string, datastreamId: string): Transport {
  // Each session's location hint, from its sessionStart's answer.
  const hints = new Map<string, string>();
  return {
    request(event, sid) {
      const hint = sid === null ? undefined : hints.get(sid);
      return {
        url: `${endpoint}${hint ? `/${hint}` : ''}/va/v1/${pathOf(event.type)}?configId=${encodeURIComponent(datastreamId)}`,
        body: JSON.stringify({ events: [{ xdm: xdmOf(event, sid) }] }),
        // As Adobe's Web SDK sends: a CORS-simple request, with no preflight.
        type: 'text/plain'
      };
    },

    async outcome(event, response): Promise<Outcome> {
      const { status } = response;
      const start = event.type === 'sessionStart';
      // Not 500, refused below: Adobe's troubleshooting table says not to retry it.
      if (status === 408 || status === 429 || (status >= 502 && status <= 504)) return { kind: 'retry', after: retryAfter(response) };
      if (!start && status >= 200 && status < 300) return { kind: 'accepted' };
      if (!start && (status === 404 || status === 410)) return { kind: 'gone' };
      const answer = await read(response);
      const payload = (type: string) => answer.handle?.find((handle) => handle?.type === type)?.payload;
      if (status === 207) {
        const paths = answer.errors?.flatMap((error) => error?.report?.details ?? []).map((detail) => `${detail?.name}: ${detail?.reason}`);
        return { kind: 'rejected', reason: `HTTP 207, invalid sessionStart${paths?.length ? `: ${paths.join('; ')}` : ''}` };
      }
      if (status === 200) {
        const sid = payload('media-analytics:new-session')?.[0]?.sessionId;
        if (!sid) return { kind: 'rejected', reason: 'no media session in the answer: is Media Analytics on?' };
        // Adobe's answer lists a hint per scope (Target, AAM, EdgeNetwork): the Edge's is ours.
        const hint = payload('locationHint:result')?.find((item) => item?.scope === 'EdgeNetwork')?.hint;
        if (hint) hints.set(sid, hint);
        return { kind: 'started', sid };
      }
      // Adobe answers errors as application/problem+json.
      const message = answer.detail || answer.title;
      return { kind: 'rejected', reason: `HTTP ${status}${message ? `: ${String(message).slice(0, 300)}` : ''}` };
    }
  };
}
