import { coerce, type Params } from './options';

/** The longest a sessionStart waits for the page's identity code (ms). */
export const IDENTITY_WAIT = 1000;

/** What the Visitor API (`VisitorAPI.js`) answers for the fields asked. */
interface VisitorValues {
  MCMID?: unknown;
  MCAAMLH?: unknown;
}

/** The part of a Visitor API instance that is used here. */
interface VisitorInstance {
  getVisitorValues(callback: (values: VisitorValues) => void, fields: string[]): void;
  getCustomerIDs?(): unknown;
}

/** A Web SDK (alloy) instance: a command function. */
type Alloy = (
  command: 'getIdentity',
  options: { namespaces: string[] }
) => Promise<{ identity?: { ECID?: unknown }; edge?: { regionID?: unknown } }>;

/** The page's globals that Adobe's identity code leaves, none of them trusted. */
interface Page {
  Visitor?: { getInstance?: (orgId: string) => VisitorInstance };
  __alloyNS?: unknown;
  [name: string]: unknown;
}

/** An asynchronous source of identity: its params, or undefined for none. */
type Source = () => Promise<Params | undefined>;

const page = () => window as unknown as Page;

/** Runs `fn`; identity code that throws counts as none. */
function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/**
 * The params of an ECID, its location hint and the customer ids; none without an ECID (not a
 * non-empty string). The hint and the ids are checked as the options are: an integer (the
 * Visitor API and the cookie give text, alloy a number), `{type: {id, authState}}` objects.
 */
function identity(ecid: unknown, hint: unknown, customerIds?: unknown): Params | undefined {
  if (typeof ecid !== 'string' || !ecid) return undefined;
  const found: Params = { 'visitor.marketingCloudUserId': ecid, 'visitor.aamLocationHint': coerce('i', hint) };
  const ids = coerce('o', customerIds) as object | undefined;
  if (ids && Object.keys(ids).length) found['visitor.customerIDs'] = ids;
  return found;
}

/** The Visitor API's instance for the org, when it is on the page. */
function visitorSource(orgId: string | undefined): Source | undefined {
  const Visitor = page().Visitor;
  // Without an org id, getInstance would create an instance instead of finding the page's.
  if (!orgId || typeof Visitor?.getInstance !== 'function') return undefined;
  const getInstance = Visitor.getInstance;
  return async () => {
    const visitor = getInstance.call(Visitor, orgId);
    const values = await new Promise<VisitorValues>((resolve) => visitor.getVisitorValues(resolve, ['MCMID', 'MCAAMLH']));
    return identity(
      values.MCMID,
      values.MCAAMLH,
      attempt(() => visitor.getCustomerIDs?.())
    );
  };
}

/** The first Web SDK instance on the page. */
function alloySource(): Source | undefined {
  const names = page().__alloyNS;
  const name = Array.isArray(names) ? names.find((n): n is string => typeof n === 'string' && typeof page()[n] === 'function') : undefined;
  if (name === undefined) return undefined;
  const alloy = page()[name] as Alloy;
  return async () => {
    const result = await alloy('getIdentity', { namespaces: ['ECID'] });
    return identity(result?.identity?.ECID, result?.edge?.regionID);
  };
}

/** The ECID in the Visitor API's cookie `AMCV_{orgId}` (or the first `AMCV_` one without an org id). */
function fromCookie(orgId: string | undefined): Params | undefined {
  // The Visitor API URL-encodes the name (`@` becomes `%40`) and the value.
  const name = orgId && 'AMCV_' + encodeURIComponent(orgId);
  for (const cookie of (attempt(() => document.cookie) ?? '').split(/;\s*/)) {
    const [key, value = ''] = cookie.split('=');
    if (name ? key !== name : !key.startsWith('AMCV_')) continue;
    // `|`-separated keys and values; some keys carry an expiry: `MCAAMLH-1712345678|9`.
    const fields = (attempt(() => decodeURIComponent(value)) ?? '').split('|');
    const after = (field: string) => {
      const at = fields.findIndex((f) => f === field || f.startsWith(field + '-'));
      return at < 0 ? undefined : fields[at + 1];
    };
    return identity(after('MCMID'), after('MCAAMLH'));
  }
  return undefined;
}

/** Asks one source; one that throws or rejects counts as none. */
async function ask(source: Source | undefined): Promise<Params | undefined> {
  try {
    return await source?.();
  } catch {
    return undefined;
  }
}

/**
 * Finds the visitor's identity and calls `done` exactly once with the params to add, in the
 * Media Collection API's names: 'visitor.marketingCloudUserId' (ECID, string),
 * 'visitor.aamLocationHint' (integer), 'visitor.customerIDs' ({type: {id, authState}}).
 *
 * The first source that gives an ECID wins: the Visitor API, then the Web SDK (alloy), then the
 * `AMCV_` cookie. With neither the Visitor API nor alloy on the page, `done` is called at once
 * (a sessionStart leaves in the `play` event). Otherwise they are asked in turn under one bound
 * of {@link IDENTITY_WAIT} ms, after which the cookie is read: alloy waits for consent and
 * may never answer, nor may the Visitor API.
 */
export function findIdentity(orgId: string | undefined, done: (found: Params) => void): void {
  const visitor = visitorSource(orgId);
  const alloy = alloySource();
  if (!visitor && !alloy) return done(fromCookie(orgId) ?? {});
  let settled = false;
  const finish = (found: Params | undefined) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    done(found ?? fromCookie(orgId) ?? {});
  };
  const timer = setTimeout(() => finish(undefined), IDENTITY_WAIT);
  void (async () => {
    // Alloy is not asked once the bound has passed.
    finish((await ask(visitor)) ?? (settled ? undefined : await ask(alloy)));
  })();
}
