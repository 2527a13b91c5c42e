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

/** Asks the Visitor API's instance for the org. */
async function fromVisitor(orgId: string): Promise<Params | undefined> {
  const visitor = page().Visitor!.getInstance!(orgId);
  return new Promise((resolve) =>
    visitor.getVisitorValues(
      (values) =>
        resolve(
          identity(
            values.MCMID,
            values.MCAAMLH,
            attempt(() => visitor.getCustomerIDs?.())
          )
        ),
      ['MCMID', 'MCAAMLH']
    )
  );
}

/** Asks a Web SDK instance. */
async function fromAlloy(alloy: Alloy): Promise<Params | undefined> {
  const result = await alloy('getIdentity', { namespaces: ['ECID'] });
  return identity(result?.identity?.ECID, result?.edge?.regionID);
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
  // Without an org id, getInstance would create a Visitor API instance instead of finding the page's.
  const visitor = orgId && typeof page().Visitor?.getInstance === 'function' ? orgId : undefined;
  const names = page().__alloyNS;
  const alloy = (Array.isArray(names) ? names : []).map((name) => page()[name]).find((f): f is Alloy => typeof f === 'function');
  if (!visitor && !alloy) return done(fromCookie(orgId) ?? {});
  let settled = false;
  const finish = (found: Params | undefined) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    done(found ?? fromCookie(orgId) ?? {});
  };
  const timer = setTimeout(() => finish(undefined), IDENTITY_WAIT);
  // One that throws or rejects counts as none; alloy is not asked once the bound has passed.
  const ask = (source: () => Promise<Params | undefined>) => source().catch(() => undefined);
  void (async () => {
    const found = visitor && (await ask(() => fromVisitor(visitor)));
    finish(found || (alloy && !settled ? await ask(() => fromAlloy(alloy)) : undefined));
  })();
}
